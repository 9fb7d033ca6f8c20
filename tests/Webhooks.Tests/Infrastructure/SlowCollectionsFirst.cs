using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Webhooks.Tests.Infrastructure.SlowCollectionsFirst", "Webhooks.Tests")]

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// Starts the collections that hold a class marked <c>[Trait("Category", "Slow")]</c> first: only a few collections
/// run at once, and a run lasts at least as long as its slowest collection, so that one must not be left for last.
/// </summary>
public sealed class SlowCollectionsFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var collections = testCollections.ToList();
        var slow = SlowCollectionNames(collections.Select(c => c.TestAssembly.Assembly).FirstOrDefault());
        return collections.OrderBy(c => slow.Contains(c.DisplayName) ? 0 : 1);
    }

    private static HashSet<string> SlowCollectionNames(IAssemblyInfo? assembly)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly?.GetTypes(includePrivateTypes: false) ?? [])
        {
            var isSlow = type.GetCustomAttributes(typeof(TraitAttribute))
                .Any(t => t.GetConstructorArguments().SequenceEqual(new object[] { "Category", "Slow" }));
            if (isSlow)
            {
                // A class with no [Collection] is a collection of its own, named as xUnit names it.
                var collection = type.GetCustomAttributes(typeof(CollectionAttribute)).FirstOrDefault()?.GetConstructorArguments().Single() as string;
                names.Add(collection ?? $"Test collection for {type.Name}");
            }
        }
        return names;
    }
}
