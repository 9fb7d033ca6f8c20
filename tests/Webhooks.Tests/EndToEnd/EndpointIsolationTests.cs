using System.Collections.Concurrent;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.EndToEnd;

/// <summary>A slow or dead endpoint holds only its own share of attempt slots, so other endpoints' deliveries go on.</summary>
[Collection(StorageTests.Name)]
public sealed class EndpointIsolationTests(AzuriteFixture storage)
{
    [Fact]
    public async Task AnEndpointThatNeverAnswersDoesNotDelayTheOthers()
    {
        // Four attempt slots for the host, two per webhook: the dead endpoint can hold two, never four.
        await using var h = await DeliveryHarness.StartAsync(storage,
            ("Webhooks:Sending:Timeout", "00:00:10"),
            ("Webhooks:Delivery:MaxConcurrentAttempts", "4"),
            ("Webhooks:Delivery:MaxConcurrentAttemptsPerWebhook", "2"));
        var healthyArrivals = new ConcurrentBag<DateTimeOffset>();
        h.Receiver.Respond = async context =>
        {
            if (context.Request.Path == "/dead")
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            healthyArrivals.Add(DateTimeOffset.UtcNow);
        };
        await h.CreateWebhookAsync(path: "/dead");
        await h.CreateWebhookAsync(path: "/healthy");
        const int events = 12;
        var published = DateTimeOffset.UtcNow;
        for (var i = 0; i < events; i++)
        {
            await h.PublishAsync(TestEvents.Envelope(h.Org));
        }

        // Were the dead endpoint's attempts holding every slot, the healthy ones would wait for its 10 s timeouts.
        await Eventually.HoldsAsync(() => healthyArrivals.Count == events, "every healthy delivery", TimeSpan.FromSeconds(30), h.Problems);
        var slowest = healthyArrivals.Max() - published;
        Assert.True(slowest < TimeSpan.FromSeconds(8), $"the last healthy delivery took {slowest}");
        Assert.True(h.ReceivedOn("/dead").Count <= 2, $"{h.ReceivedOn("/dead").Count} attempts reached the dead endpoint at once");
    }
}
