using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace Webhooks.Dashboard;

/// <summary>
/// The page's files, embedded in the library (Dashboard/wwwroot) so both hosts serve the same ones with
/// no file system to walk: a path is looked up by name, so "..", encoded slashes or absolute paths
/// simply find nothing.
/// </summary>
public sealed class DashboardFiles
{
    /// <summary>The logical-name prefix the project file gives the embedded files.</summary>
    internal const string ResourcePrefix = "dashboard/";

    public const string IndexPath = "index.html";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly Dictionary<string, DashboardFile> files;

    public DashboardFiles()
    {
        var assembly = typeof(DashboardFiles).Assembly;
        files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => Load(assembly, n))
            .ToDictionary(f => f.Path, StringComparer.Ordinal);
    }

    /// <summary>Every served path, relative to the page's folder.</summary>
    public IEnumerable<string> Paths => files.Keys;

    /// <summary>The file at <paramref name="path"/> (relative, '/'-separated, case-sensitive), or null.</summary>
    public DashboardFile? Find(string path) => files.GetValueOrDefault(path);

    private static DashboardFile Load(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var path = name[ResourcePrefix.Length..].Replace('\\', '/');
        return new DashboardFile(path, content, ContentTypeOf(path), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
    }

    private static string ContentTypeOf(string path)
    {
        var type = ContentTypes.TryGetContentType(path, out var found) ? found : "application/octet-stream";
        // Text files are written in UTF-8; saying so keeps a browser from guessing.
        return type.StartsWith("text/", StringComparison.Ordinal) || type is "application/json" or "image/svg+xml" ? type + "; charset=utf-8" : type;
    }
}
