using System.Text.RegularExpressions;

namespace Webhooks.Tests.Architecture;

/// <summary>
/// Which namespaces the library's source files name: their <c>using Webhooks.X;</c> lines (none
/// unneeded: IDE0005 is an error in src) and fully qualified <c>Webhooks.X.</c> names. It sees what
/// the compiler inlines and the IL no longer shows (constants, enum values, <c>nameof</c>).
/// </summary>
public static partial class SourceDependencies
{
    /// <summary>Each file's declared namespace with the path it was read from, and the (from, to) pairs of namespaces it names.</summary>
    public static (IReadOnlyList<(string File, string Namespace)> Files, IReadOnlySet<(string From, string To)> Edges) Read(string libraryFolder, string root)
    {
        var files = new List<(string, string)>();
        var edges = new HashSet<(string, string)>();
        foreach (var path in Directory.EnumerateFiles(libraryFolder, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(libraryFolder, path);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }
            var text = File.ReadAllText(path);
            var declared = DeclaredNamespace().Match(text) is { Success: true } m ? m.Groups[1].Value : "";
            files.Add((relative, declared));
            foreach (Match named in NamedNamespace().Matches(DeclaredNamespace().Replace(text, "")))
            {
                var to = $"{root}.{named.Groups[1].Value}";
                if (to != declared)
                {
                    edges.Add((declared, to));
                }
            }
        }
        return (files, edges);
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex DeclaredNamespace();

    // "using Webhooks.X;", "using static Webhooks.X.Y;", "Webhooks.X.Y" in code.
    [GeneratedRegex(@"\bWebhooks\.(\w+)\b(?=\s*;|\.)")]
    private static partial Regex NamedNamespace();
}
