using Webhooks.Management;
using Webhooks.Storage;

namespace Webhooks.Tests.Management;

/// <summary>How a webhook's deliveries are aggregated into 24 hourly buckets and response-time percentiles.</summary>
public sealed class WebhookStatsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 20, 0, TimeSpan.Zero);

    private static DeliveryRecord Delivery(DateTimeOffset createdAt, DeliveryStatus status, double? milliseconds = null) =>
        DeliveryRecord.Pending("org-1", "wh_1", "evt_" + Guid.NewGuid().ToString("N")[..8], "build_completed", [], createdAt) with
        {
            Status = status,
            LastDuration = milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        };

    [Fact]
    public void TheWindowEndsWithTheCurrentHourAndHoldsTwentyFourWholeHours()
    {
        var stats = WebhookStats.Of([], Now, truncated: false);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.Zero), stats.To);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 13, 0, 0, TimeSpan.Zero), stats.From);
        Assert.Equal(24, stats.Buckets.Count);
        Assert.Equal(stats.From, stats.Buckets[0].Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), stats.Buckets[^1].Start);
        Assert.Null(stats.ResponseTimeMs);
    }

    [Fact]
    public void EachDeliveryCountsInTheHourItWasCreatedByItsStatusAndOlderOnesAreLeftOut()
    {
        var stats = WebhookStats.Of(
        [
            Delivery(Now, DeliveryStatus.Succeeded),
            Delivery(Now.AddMinutes(-20), DeliveryStatus.Failed),
            Delivery(Now.AddMinutes(-21), DeliveryStatus.Exhausted),
            Delivery(Now.AddHours(-23).AddMinutes(-20), DeliveryStatus.Pending),
            Delivery(Now.AddHours(-23).AddMinutes(-21), DeliveryStatus.Succeeded),
        ], Now, truncated: true);

        Assert.Equal(new StatsBucket(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), 1, 1, 0, 0, null), stats.Buckets[23]);
        Assert.Equal(new StatsBucket(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero), 0, 0, 1, 0, null), stats.Buckets[22]);
        Assert.Equal(new StatsBucket(stats.From, 0, 0, 0, 1, null), stats.Buckets[0]);
        Assert.Equal(4, stats.Deliveries);
        Assert.True(stats.Truncated);
    }

    [Fact]
    public void PercentilesInterpolateBetweenTheClosestRanksOfTheDeliveriesThatHaveADuration()
    {
        var stats = WebhookStats.Of(
            [.. Enumerable.Range(1, 101).Select(i => Delivery(Now, DeliveryStatus.Succeeded, i * 10.0)), Delivery(Now, DeliveryStatus.Pending)],
            Now, truncated: false);

        Assert.Equal(new ResponseTimePercentiles(510, 910, 1000), stats.ResponseTimeMs);
        Assert.Equal(new ResponseTimePercentiles(7, 10.2, 10.9), ResponseTimePercentiles.Of([11, 3, 7]));
    }

    [Fact]
    public void EachHourHasThePercentilesOfItsOwnDeliveries()
    {
        var stats = WebhookStats.Of(
        [
            Delivery(Now, DeliveryStatus.Succeeded, 10),
            Delivery(Now.AddMinutes(-5), DeliveryStatus.Succeeded, 30),
            Delivery(Now.AddHours(-2), DeliveryStatus.Failed, 500),
            Delivery(Now.AddHours(-3), DeliveryStatus.Pending),
        ], Now, truncated: false);

        Assert.Equal(new ResponseTimePercentiles(20, 28, 29.8), stats.Buckets[23].ResponseTimeMs);
        Assert.Equal(new ResponseTimePercentiles(500, 500, 500), stats.Buckets[21].ResponseTimeMs);
        Assert.Null(stats.Buckets[20].ResponseTimeMs);
        Assert.Null(stats.Buckets[22].ResponseTimeMs);
        Assert.Equal(new ResponseTimePercentiles(30, 406, 490.6), stats.ResponseTimeMs);
    }
}
