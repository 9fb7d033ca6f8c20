using System.Text.Json.Nodes;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>A webhook's last 24 hours, aggregated from its delivery history, read the same from both hosts; and each delivery's last response time.</summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class WebhookStatsParityTests(AzuriteFixture storage)
{
    [Fact]
    public async Task StatsCountEachDeliveryOfTheLastDayByOutcomeWithResponseTimePercentiles()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _, _, _) = await h.CreateMixedHistoryAsync();
        // 410 Gone fails a delivery at once (and disables the webhook, after which stats still read).
        h.Receiver.Respond = LoopbackReceiver.Status(410);
        var gone = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org, "submit_failed")), webhook);
        await h.WaitForStatusAsync(webhook, gone, "failed");
        var functions = new FunctionsHttpHost(h.App.Services);
        var asked = DateTimeOffset.UtcNow;

        var stats = (await HostParity.AssertBothAnswerAlikeAsync(h.Api, functions, ApiRequest.Get(Routes.Stats(h.Org, webhook)))).Json!;

        var buckets = stats["buckets"]!.AsArray();
        Assert.Equal(24, buckets.Count);
        Assert.Equal(60, stats["bucketMinutes"]!.GetValue<int>());
        var from = DateTimeOffset.Parse(stats["from"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(stats["to"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(24), to - from);
        // The window ends with the hour the request was answered in (asked just before it).
        Assert.InRange(to - asked, TimeSpan.Zero, TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(from, DateTimeOffset.Parse(buckets[0]!["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((2, 1, 1, 0), (Sum(buckets, "succeeded"), Sum(buckets, "failed"), Sum(buckets, "exhausted"), Sum(buckets, "pending")));
        Assert.Equal(4, stats["deliveries"]!.GetValue<int>());
        Assert.False(stats["truncated"]!.GetValue<bool>());
        var times = stats["responseTimeMs"]!;
        var (p50, p90, p99) = (times["p50"]!.GetValue<double>(), times["p90"]!.GetValue<double>(), times["p99"]!.GetValue<double>());
        Assert.True(p50 > 0 && p50 <= p90 && p90 <= p99, $"percentiles {p50}, {p90}, {p99}");
    }

    [Fact]
    public async Task StatsReadNoMoreDeliveriesThanTheBoundAndSayTheyWereCutShort()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Dashboard:StatsMaxDeliveries", "2"));
        var (webhook, _, _, _) = await h.CreateMixedHistoryAsync();
        var functions = new FunctionsHttpHost(h.App.Services);

        var stats = (await HostParity.AssertBothAnswerAlikeAsync(h.Api, functions, ApiRequest.Get(Routes.Stats(h.Org, webhook)))).Json!;

        // The newest two: the second success and the exhausted one.
        var buckets = stats["buckets"]!.AsArray();
        Assert.Equal((1, 1), (Sum(buckets, "succeeded"), Sum(buckets, "exhausted")));
        Assert.Equal(2, stats["deliveries"]!.GetValue<int>());
        Assert.True(stats["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task StatsOfAWebhookWithNoDeliveriesAreEmptyBucketsAndNoResponseTimes()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var functions = new FunctionsHttpHost(h.App.Services);

        var stats = (await HostParity.AssertBothAnswerAlikeAsync(h.Api, functions, ApiRequest.Get(Routes.Stats(h.Org, webhook)))).Json!;

        Assert.Equal(24, stats["buckets"]!.AsArray().Count);
        Assert.Equal(0, stats["deliveries"]!.GetValue<int>());
        Assert.Null(stats["responseTimeMs"]);
    }

    [Theory]
    [InlineData("wh_01JH2X4Y6Z8A0B2C4D6E8F0G2H")]
    [InlineData("not-a-webhook-id")]
    public async Task StatsOfAnUnknownWebhookAreTheSame404(string webhookId)
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var functions = new FunctionsHttpHost(h.App.Services);

        var answer = await HostParity.AssertBothAnswerAlikeAsync(h.Api, functions, ApiRequest.Get(Routes.Stats(h.Org, webhookId)));

        Assert.Equal(404, answer.Status);
    }

    [Fact]
    public async Task ADeliveryShowsItsLastAttemptsDurationInTheListAndAlone()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = ApiTestHelpers.TryLaterOnceThenOk();
        var (webhook, _) = await h.CreateWebhookAsync();
        var deliveryId = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org)), webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");
        var functions = new FunctionsHttpHost(h.App.Services);

        var one = (await HostParity.AssertBothAnswerAlikeAsync(h.Api, functions, ApiRequest.Get(Routes.Delivery(h.Org, webhook, deliveryId)))).Json!;
        var listed = (await HostParity.AssertBothAnswerAlikeAsync(h.Api, functions, ApiRequest.Get(Routes.Deliveries(h.Org, webhook)))).Json!["data"]![0]!;

        var last = one["attempts"]!.AsArray()[^1]!["durationMs"]!.GetValue<double>();
        Assert.True(last > 0);
        Assert.Equal(last, one["lastDurationMs"]!.GetValue<double>());
        Assert.Equal(last, listed["lastDurationMs"]!.GetValue<double>());
    }

    private static int Sum(JsonArray buckets, string status) => buckets.Sum(b => b![status]!.GetValue<int>());
}
