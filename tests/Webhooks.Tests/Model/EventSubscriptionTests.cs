using FsCheck;
using FsCheck.Xunit;
using Webhooks.Model;

namespace Webhooks.Tests.Model;

public sealed class EventSubscriptionTests
{
    [Theory]
    [InlineData("build_completed")]
    [InlineData("update_failed")]
    [InlineData("a_type_added_next_year")]
    [InlineData("")]
    public void EverythingIncludesAnyType(string eventType)
    {
        Assert.True(EventSubscription.Everything.Includes(eventType));
    }

    [Property]
    public bool EverythingIncludesTypesNotKnownToday(NonNull<string> eventType) =>
        EventSubscription.Everything.Includes(eventType.Get);

    [Fact]
    public void OfIncludesOnlyTheListedTypes()
    {
        var subscription = EventSubscription.Of(["build_completed", "submit_failed"]);

        Assert.False(subscription.All);
        Assert.True(subscription.Includes("build_completed"));
        Assert.True(subscription.Includes("submit_failed"));
        Assert.False(subscription.Includes("build_failed"));
        Assert.False(subscription.Includes("a_type_added_next_year"));
        Assert.False(subscription.Includes(EventSubscription.AllToken));
    }

    [Fact]
    public void OfNothingIncludesNothing()
    {
        var subscription = EventSubscription.Of([]);

        Assert.False(subscription.Includes("build_completed"));
    }

    [Fact]
    public void OfSortsAndDeduplicatesTheTypes()
    {
        var subscription = EventSubscription.Of(["update_failed", "build_completed", "update_failed"]);

        Assert.Equal<string>(["build_completed", "update_failed"], subscription.Types);
    }

    [Fact]
    public void AllOnTheWireIsEverything()
    {
        var subscription = EventSubscription.FromWire(["all"]);

        Assert.True(subscription.All);
        Assert.Equal(EventSubscription.Everything, subscription);
        Assert.True(subscription.Includes("a_type_added_next_year"));
    }

    [Fact]
    public void EverythingIsAllOnTheWire()
    {
        Assert.Equal<string>(["all"], EventSubscription.Everything.ToWire());
    }

    [Fact]
    public void ListedTypesAreTheWireSpelling()
    {
        Assert.Equal<string>(
            ["build_completed", "submit_failed"],
            EventSubscription.Of(["submit_failed", "build_completed"]).ToWire());
    }

    [Fact]
    public void EverythingSurvivesAWireRoundTrip()
    {
        Assert.Equal(EventSubscription.Everything, EventSubscription.FromWire(EventSubscription.Everything.ToWire()));
    }

    [Property]
    public bool ListedTypesSurviveAWireRoundTrip(NonNull<string>[] types)
    {
        var names = types.Select(t => t.Get).Where(t => t != EventSubscription.AllToken).ToArray();
        var subscription = EventSubscription.Of(names);

        var back = EventSubscription.FromWire(subscription.ToWire());

        return back == subscription && !back.All && back.Types.SequenceEqual(subscription.Types);
    }

    [Fact]
    public void SubscriptionsToTheSameTypesAreEqualWhateverTheOrderOrRepeats()
    {
        var first = EventSubscription.Of(["build_failed", "build_completed"]);
        var second = EventSubscription.Of(["build_completed", "build_failed", "build_completed"]);

        Assert.Equal(first, second);
        Assert.True(first == second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void SubscriptionsToDifferentTypesAreNotEqual()
    {
        Assert.NotEqual(EventSubscription.Of(["build_completed"]), EventSubscription.Of(["build_failed"]));
        Assert.NotEqual(EventSubscription.Of(["build_completed"]), EventSubscription.Of(["build_completed", "build_failed"]));
    }

    [Fact]
    public void EverythingIsNotAnEmptyList()
    {
        Assert.NotEqual(EventSubscription.Everything, EventSubscription.Of([]));
    }
}
