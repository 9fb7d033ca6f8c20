using Webhooks.Model;

namespace Webhooks.Tests.Architecture;

/// <summary>
/// The library's folders are its layers, bottom first: each may use only the folders before it in
/// <see cref="Layers"/>, so none points up and no two depend on each other. A new folder fails here
/// until it is given its place.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>The library's folders (namespaces under <c>Webhooks</c>), the ground floor first, then the hosts' building blocks.</summary>
    public static readonly string[] Layers =
    [
        "Model",         // the vocabulary: webhooks, ids, errors, text rules, attempt outcomes
        "Events",        // the event and its envelope
        "Storage",       // tables and queues
        "Secrets",       // Key Vault, or its development table
        "Signing",
        "Sending",
        "Formatting",
        "Delivery",      // the use cases: delivering,
        "Ingestion",     // events in,
        "Management",    // webhooks and deliveries managed
        "Api",           // the HTTP API both hosts serve
        "QueueDriver",   // the standalone host's driver
        "DurableDriver", // the Functions app's driver
        "Diagnostics",
        "Hosting",
    ];

    private static string LibraryPath => typeof(Webhook).Assembly.Location;

    [Fact]
    public void NoFolderOfTheLibraryUsesAFolderAboveIt()
    {
        var upward = Violations(FolderDependencies.Read(LibraryPath, "Webhooks"), "Webhooks", Layers);

        Assert.True(upward.Count == 0, "Upward or cyclic dependencies between the library's folders:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void EveryFolderOfTheLibraryHasItsPlaceInTheLayers()
    {
        var folders = FolderDependencies.Namespaces(LibraryPath, "Webhooks").Select(n => n["Webhooks.".Length..]).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(folders.Except(Layers));
        Assert.Empty(Layers.Except(folders));
    }

    [Fact]
    public void TheCheckFindsAnUpwardDependencyAndACycle()
    {
        // Fixtures below: Low uses High (upward), and High uses Low back (so the two form a cycle).
        const string root = "Webhooks.Tests.Architecture.Fixture";
        var edges = FolderDependencies.Read(typeof(LayeringTests).Assembly.Location, root);

        var found = Violations(edges, root, ["Low", "High"]);

        Assert.Equal(["Low -> High"], found);
        Assert.Contains(($"{root}.High", $"{root}.Low"), edges);
    }

    private static List<string> Violations(IReadOnlySet<(string From, string To)> edges, string root, IReadOnlyList<string> layers)
    {
        int Rank(string ns) => layers.ToList().IndexOf(ns[(root.Length + 1)..].Split('.')[0]);
        return [.. edges.Where(e => Rank(e.To) >= Rank(e.From)).Select(e => $"{e.From[(root.Length + 1)..]} -> {e.To[(root.Length + 1)..]}").Order(StringComparer.Ordinal)];
    }
}
