using Webhooks.Standalone.LocalDevelopment;
using Webhooks.Model;

namespace Webhooks.Tests.Architecture;

/// <summary>
/// The library's folders are its layers, bottom first: each may use only the folders before it in
/// <see cref="Layers"/>, so none points up and no two depend on each other. A new folder fails here
/// until it is given its place.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>
    /// The library's folders (namespaces under <c>Webhooks</c>), the ground floor first. Folders in one
    /// group are peers, side by side: neither may use the other (the two drivers).
    /// </summary>
    public static readonly string[][] Layers =
    [
        ["Model"],                        // the vocabulary: webhooks, ids, errors, text rules, attempt outcomes
        ["Tracing"],                      // the pipeline's spans and their attributes
        ["Events"],                       // the event and its envelope
        ["Storage"],                      // tables and queues
        ["Secrets"],                      // Key Vault, or its development table
        ["Signing"],
        ["Sending"],
        ["Formatting"],
        ["Protection"],                   // endpoint protection: rate limits, slow-down, circuits
        ["Delivery"],                     // the use cases: delivering,
        ["Ingestion"],                    // events in,
        ["Management"],                   // webhooks and deliveries managed
        ["Api"],                          // the HTTP API both hosts serve
        ["Dashboard"],                    // the page over that API, served by both hosts
        ["QueueDriver", "DurableDriver"], // the standalone host's driver and the Functions app's, side by side
        ["Diagnostics"],
        ["Hosting"],
    ];

    private static string LibraryPath => typeof(Webhook).Assembly.Location;

    private static string LibrarySource => Path.Combine(RepositoryRoot.Find(), "src", "Webhooks.Pipeline");

    [Fact]
    public void NoFolderOfTheLibraryUsesAFolderAboveIt()
    {
        var upward = Violations(FolderDependencies.Read(LibraryPath, "Webhooks"), "Webhooks", Layers);

        Assert.True(upward.Count == 0, "Upward or cyclic dependencies between the library's folders:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void NoSourceFileOfTheLibraryNamesAFolderAboveItsOwn()
    {
        var upward = Violations(SourceDependencies.Read(LibrarySource, "Webhooks").Edges, "Webhooks", Layers);

        Assert.True(upward.Count == 0, "Upward or cyclic dependencies in the library's source:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void EveryFileOfTheLibraryIsInTheNamespaceOfItsFolder()
    {
        var misplaced = SourceDependencies.Read(LibrarySource, "Webhooks").Files
            .Where(f => f.Namespace != "Webhooks." + f.File.Split(Path.DirectorySeparatorChar)[0])
            .Select(f => $"{f.File}: {f.Namespace}");

        Assert.Empty(misplaced);
    }

    [Fact]
    public void EveryFolderOfTheLibraryHasItsPlaceInTheLayers()
    {
        var folders = FolderDependencies.Namespaces(LibraryPath, "Webhooks").Select(n => FolderOf(n, "Webhooks")).ToHashSet(StringComparer.Ordinal);
        var placed = Layers.SelectMany(l => l).ToList();

        Assert.Empty(folders.Except(placed));
        Assert.Empty(placed.Except(folders));
    }

    [Fact]
    public void TheCheckFindsAnUpwardDependencyAndACycle()
    {
        // Fixtures below: Low uses High (upward), and High uses Low back (so the two form a cycle).
        const string root = "Webhooks.Tests.Architecture.Fixture";
        var edges = FolderDependencies.Read(typeof(LayeringTests).Assembly.Location, root);

        Assert.Equal(["Low -> High"], Violations(edges, root, [["Low"], ["High"]]));
        Assert.Contains(($"{root}.High", $"{root}.Low"), edges);
        // As peers, side by side, each uses the other: both directions are refused.
        Assert.Equal(["High -> Low", "Low -> High"], Violations(edges, root, [["Low", "High"]]));
        // A folder with no place in the layers is refused whichever way it is used.
        Assert.Equal(["High -> Low", "Low -> High"], Violations(edges, root, [["Low"]]));
    }

    /// <summary>The folder a namespace belongs to; the root namespace itself is "(root)", which has no place.</summary>
    private static string FolderOf(string ns, string root) => ns == root ? "(root)" : ns[(root.Length + 1)..].Split('.')[0];

    /// <summary>Each edge that does not point strictly down the layers, or touches a folder that has no place in them.</summary>
    private static List<string> Violations(IReadOnlySet<(string From, string To)> edges, string root, IReadOnlyList<string[]> layers)
    {
        int Rank(string folder) => layers.ToList().FindIndex(l => l.Contains(folder));
        return [.. edges
            .Select(e => (From: FolderOf(e.From, root), To: FolderOf(e.To, root)))
            .Where(e => e.From != e.To && (Rank(e.From) < 0 || Rank(e.To) < 0 || Rank(e.To) >= Rank(e.From)))
            .Select(e => $"{e.From} -> {e.To}")
            .Distinct()
            .Order(StringComparer.Ordinal)];
    }
}
