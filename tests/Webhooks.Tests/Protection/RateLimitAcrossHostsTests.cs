using Webhooks.Tests.EndToEnd;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Protection;

/// <summary>A webhook's rate limit holds for the endpoint across every host consuming the same queues and tables.</summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class RateLimitAcrossHostsTests(AzuriteFixture storage)
{
    private const int Limit = 20;
    private const int Events = 300;

    [Fact]
    public async Task TwoHostsTogetherSendNoFasterThanTheWebhooksLimit()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:EventsInFlight", "8"));
        await using var second = new PipelineApp(storage, settings: DeliveryTestSettings.With(
            ("Webhooks:Storage:EventsQueue", h.App.EventsQueue), ("Webhooks:Storage:DeliveriesQueue", h.App.DeliveriesQueue), ("Webhooks:Driver:EventsInFlight", "8")), realClock: true);
        _ = second.Services;
        var limited = await h.CreateWebhookAsync(path: "/limited");
        await ProtectionScenario.SetRateLimitAsync(h.Api, h.Org, limited.Id, Limit);

        var published = await Task.WhenAll(Enumerable.Range(0, Events).Select(_ => h.PublishAsync(TestEvents.Envelope(h.Org))));

        await Eventually.HoldsAsync(() => h.ReceivedOn("/limited").Count >= Events, "every delivery", TimeSpan.FromSeconds(90),
            () => $"{h.ReceivedOn("/limited").Count} of {Events}. {h.Problems()}");
        var arrivals = h.ReceivedOn("/limited");
        var busiest = ProtectionScenario.BusiestWindow(arrivals.Select(r => r.At), TimeSpan.FromSeconds(10));
        Assert.True(busiest <= Limit * 10 * 1.1, $"{busiest} arrivals within 10 s, for a limit of {Limit}/s");
        // Held deliveries waited without an attempt: each arrived once, on its first attempt.
        Assert.Equal(Events, arrivals.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        var sample = await h.DeliveryAsync(limited.Id, h.DeliveryIdOf(published[^1], limited.Id));
        Assert.Equal(1, sample.GetProperty("attemptCount").GetInt32());
        // Both hosts took part.
        Assert.Contains(second.Logs.GetSnapshot(), r => r.Category == "Webhooks.Ingestion.EventFanOut");
        Assert.Contains(h.App.Logs.GetSnapshot(), r => r.Category == "Webhooks.Ingestion.EventFanOut");
    }
}
