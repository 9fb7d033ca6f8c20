using Microsoft.AspNetCore.Http;
using Webhooks.Tests.EndToEnd;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Protection;

/// <summary>An endpoint that is down stops costing attempts: its circuit opens, probes find it back, and the backlog goes through.</summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class CircuitBreakerTests(AzuriteFixture storage)
{
    [Fact]
    public async Task ADownEndpointsCircuitOpensAndItsBacklogIsDeliveredWhenItRecovers()
    {
        await using var h = await DeliveryHarness.StartAsync(storage,
            ("Webhooks:Retry:Schedule:3", "00:00:01"), ("Webhooks:Retry:Schedule:4", "00:00:01"),
            ("Webhooks:Protection:CircuitThreshold", "3"), ("Webhooks:Protection:FirstProbeAfter", "00:00:01"), ("Webhooks:Protection:LongestProbeInterval", "00:00:02"));
        var down = true;
        var failedWhileDown = 0;
        h.Receiver.Respond = context =>
        {
            if (Volatile.Read(ref down))
            {
                Interlocked.Increment(ref failedWhileDown);
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
            return Task.CompletedTask;
        };
        var webhook = await h.CreateWebhookAsync(path: "/down");
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org)), webhook.Id));
            await Task.Delay(100);
        }
        var open = default(System.Text.Json.JsonElement);
        await Eventually.HoldsAsync(async () =>
        {
            open = ProtectionScenario.Protection(await h.WebhookAsync(webhook.Id));
            return open.GetProperty("circuit").GetString() is "open" or "probing";
        }, "the circuit open on the webhook", TimeSpan.FromSeconds(20));
        Assert.Equal("circuit_open", open.GetProperty("reason").GetString());
        // The retry schedule (five attempts a second apart) would have exhausted every delivery by now: none is.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var spent = Volatile.Read(ref failedWhileDown);
        Volatile.Write(ref down, false);

        foreach (var id in ids)
        {
            await h.WaitForStatusAsync(webhook.Id, id, "succeeded", TimeSpan.FromSeconds(60));
        }
        // Without the circuit, 40 deliveries × 5 attempts would all have failed against it.
        Assert.True(spent <= 20, $"{spent} attempts spent on the endpoint while it was down");
        var closed = ProtectionScenario.Protection(await h.WebhookAsync(webhook.Id));
        Assert.Equal("closed", closed.GetProperty("circuit").GetString());
    }
}
