using Microsoft.AspNetCore.Http;
using Webhooks.Tests.EndToEnd;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Protection;

/// <summary>An endpoint that answers 429 slows every delivery to it, not only the one it answered.</summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class AdaptiveSlowDownTests(AzuriteFixture storage)
{
    [Fact]
    public async Task RetryAfterPausesTheWholeEndpointAndItIsShownOnTheWebhook()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Retry:Schedule:3", "00:00:01"), ("Webhooks:Retry:Schedule:4", "00:00:01"));
        var throttledUntil = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3);
        var throttled = 0;
        h.Receiver.Respond = context =>
        {
            if (DateTimeOffset.UtcNow < throttledUntil)
            {
                Interlocked.Increment(ref throttled);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "2";
            }
            return Task.CompletedTask;
        };
        var webhook = await h.CreateWebhookAsync(path: "/busy");
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org)), webhook.Id));
            await Task.Delay(50);
        }
        var slowed = default(System.Text.Json.JsonElement);
        await Eventually.HoldsAsync(async () =>
        {
            slowed = ProtectionScenario.Protection(await h.WebhookAsync(webhook.Id));
            return slowed.GetProperty("reason").GetString() is "paused" or "slowed";
        }, "the slow-down shown on the webhook", TimeSpan.FromSeconds(10));
        Assert.True(slowed.GetProperty("effectiveRate").GetDouble() > 0);

        foreach (var id in ids)
        {
            await h.WaitForStatusAsync(webhook.Id, id, "succeeded", TimeSpan.FromSeconds(60));
        }
        // Per delivery, each would have been answered 429 until the throttling ended (2-3 times); paused, far fewer were.
        Assert.True(throttled < ids.Count, $"{throttled} answers of 429 for {ids.Count} deliveries");
    }
}
