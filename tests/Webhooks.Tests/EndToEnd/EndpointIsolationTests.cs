using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.EndToEnd;

/// <summary>A slow or dead endpoint holds only its own share of attempt slots, so other endpoints' deliveries go on.</summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class EndpointIsolationTests(AzuriteFixture storage)
{
    [Fact]
    public async Task AnEndpointThatNeverAnswersDoesNotDelayTheOthers()
    {
        // Four attempt slots for the host, two per webhook: the dead endpoint can hold two, never four.
        // Its attempts hang until the test lets them go, long past the time the host would give up on them
        // otherwise, so the healthy deliveries can only arrive through the slots the dead endpoint does not hold.
        await using var h = await DeliveryHarness.StartAsync(storage,
            ("Webhooks:Sending:Timeout", "00:05:00"),
            ("Webhooks:Delivery:MaxConcurrentAttempts", "4"),
            ("Webhooks:Delivery:MaxConcurrentAttemptsPerWebhook", "2"));
        var letDeadGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var healthyArrivals = 0;
        var deadAttemptsOver = 0;
        h.Receiver.Respond = async context =>
        {
            if (context.Request.Path == "/dead")
            {
                await letDeadGo.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                Interlocked.Increment(ref deadAttemptsOver);
                context.Response.StatusCode = 503;
                return;
            }
            Interlocked.Increment(ref healthyArrivals);
        };
        try
        {
            await h.CreateWebhookAsync(path: "/dead");
            await h.CreateWebhookAsync(path: "/healthy");
            const int events = 12;
            for (var i = 0; i < events; i++)
            {
                await h.PublishAsync(TestEvents.Envelope(h.Org));
            }

            await Eventually.HoldsAsync(() => Volatile.Read(ref healthyArrivals) == events && h.ReceivedOn("/dead").Count >= 2,
                "every healthy delivery, with the dead endpoint holding its two slots", TimeSpan.FromSeconds(60),
                () => $"{Volatile.Read(ref healthyArrivals)} healthy, {h.ReceivedOn("/dead").Count} dead. {h.Problems()}");
            Assert.True(Volatile.Read(ref deadAttemptsOver) == 0, "a dead attempt ended before the healthy deliveries were all in");
            Assert.True(h.ReceivedOn("/dead").Count <= 2, $"{h.ReceivedOn("/dead").Count} attempts reached the dead endpoint at once");
        }
        finally
        {
            // Attempts in flight finish before the host stops: let the dead ones end so shutdown does not wait for them.
            letDeadGo.TrySetResult();
        }
    }
}
