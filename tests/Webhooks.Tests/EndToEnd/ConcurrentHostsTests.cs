using System.Collections.Concurrent;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.EndToEnd;

/// <summary>Several hosts consuming the same queues run each delivery once, and never one delivery twice at the same time.</summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class ConcurrentHostsTests(AzuriteFixture storage)
{
    [Fact]
    public async Task TwoHostsOnTheSameQueuesNeverRunADeliveryTwiceAtOnce()
    {
        // A small window of events per host, so neither can take every message in one receive: both must share the queues.
        // Endpoint protection off: the flaky endpoints fail every first attempt, which would slow them and open their circuits.
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:EventsInFlight", "2"), ("Webhooks:Protection:AdaptiveSlowDown", "false"), ("Webhooks:Protection:CircuitThreshold", "0"));
        await using var second = new PipelineApp(storage, settings: DeliveryTestSettings.With(
            ("Webhooks:Storage:EventsQueue", h.App.EventsQueue), ("Webhooks:Storage:DeliveriesQueue", h.App.DeliveriesQueue), ("Webhooks:Driver:EventsInFlight", "2"), ("Webhooks:Protection:AdaptiveSlowDown", "false"), ("Webhooks:Protection:CircuitThreshold", "0")), realClock: true);
        _ = second.Services;
        var inFlight = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var accepted = new ConcurrentDictionary<string, int>();
        var attempts = new ConcurrentDictionary<string, int>();
        h.Receiver.Respond = async context =>
        {
            var id = context.Request.Headers["webhook-id"].ToString();
            if (inFlight.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }
            try
            {
                await Task.Delay(100, CancellationToken.None);
                // Half the webhooks fail each delivery's first attempt, so retry steps run on either host.
                if (context.Request.Path == "/flaky" && attempts.AddOrUpdate(id, 1, (_, n) => n + 1) == 1)
                {
                    context.Response.StatusCode = 503;
                    return;
                }
                accepted.AddOrUpdate(id, 1, (_, n) => n + 1);
            }
            finally
            {
                inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
            }
        };
        var webhooks = new List<string>();
        foreach (var path in new[] { "/steady", "/flaky", "/steady", "/flaky" })
        {
            webhooks.Add((await h.CreateWebhookAsync(path: path)).Id);
        }
        var expected = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
            expected.AddRange(webhooks.Select(w => h.DeliveryIdOf(eventId, w)));
        }

        await Eventually.HoldsAsync(() => expected.All(accepted.ContainsKey), "every delivery", TimeSpan.FromSeconds(60), () => $"{accepted.Count} of {expected.Count}. {h.Problems()}");

        Assert.Equal(0, overlaps);
        Assert.All(accepted, kv => Assert.Equal(1, kv.Value));
        var secondHostLogs = second.Logs.GetSnapshot();
        Assert.Contains(secondHostLogs, r => r.Category == "Webhooks.Ingestion.EventFanOut");
        Assert.Contains(h.App.Logs.GetSnapshot(), r => r.Category == "Webhooks.Ingestion.EventFanOut");
    }
}
