using System.Net;
using System.Net.Http.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>Recover re-runs every failed or exhausted delivery created since a time, and no other.</summary>
[Collection(StorageTests.Name)]
public sealed class RecoverTests(AzuriteFixture storage)
{
    [Fact]
    public async Task RecoverReRunsFailedAndExhaustedDeliveriesCreatedSinceTheGivenTimeOnly()
    {
        // A 3 s wait before the second attempt leaves time to disable the webhook between attempts.
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Retry:Schedule:1", "00:00:03"));
        var endpointDown = true;
        h.Receiver.Respond = context =>
        {
            context.Response.StatusCode = endpointDown && context.Request.Headers["X-Webhook-Event"] == "build_failed" ? 500 : 200;
            return Task.CompletedTask;
        };
        var (webhook, _) = await h.CreateWebhookAsync();
        var root = Routes.Webhook(h.Org, webhook);

        var older = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org, "build_failed")), webhook);
        await h.WaitForStatusAsync(webhook, older, "exhausted");
        var since = DateTimeOffset.UtcNow;
        var exhausted = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org, "build_failed")), webhook);
        await h.WaitForStatusAsync(webhook, exhausted, "exhausted");
        var succeeded = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org, "build_completed")), webhook);
        await h.WaitForStatusAsync(webhook, succeeded, "succeeded");
        // Failed, not exhausted: the webhook is off when its second attempt comes due.
        var failed = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org, "build_failed")), webhook);
        await Eventually.HoldsAsync(async () => (await h.DeliveryAsync(webhook, failed)).TryGetProperty("attemptCount", out var count) && count.GetInt32() == 1, "the first attempt");
        Assert.Equal(HttpStatusCode.OK, (await h.Api.PatchAsJsonAsync(root, new { enabled = false })).StatusCode);
        var failedFirst = await h.WaitForStatusAsync(webhook, failed, "failed");
        Assert.Equal("webhook_disabled", failedFirst.GetProperty("failureReason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await h.Api.PatchAsJsonAsync(root, new { enabled = true })).StatusCode);
        endpointDown = false;
        var receivedBefore = h.ReceivedOn("/hook").Count;

        var response = await h.Api.PostAsync($"{root}/recover?since={Uri.EscapeDataString(since.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await response.ReadJsonAsync();
        Assert.Equal(2, result.GetProperty("resent").GetInt32());
        Assert.True(result.GetProperty("complete").GetBoolean());
        var untouched = await h.DeliveryAsync(webhook, older);
        Assert.Equal("exhausted", untouched.GetProperty("status").GetString());

        var recovered = await h.WaitForStatusAsync(webhook, exhausted, "succeeded");
        Assert.Equal(4, recovered.GetProperty("attemptCount").GetInt32());
        Assert.Equal(2, recovered.GetProperty("attempts")[3].GetProperty("run").GetInt32());
        var recoveredFailed = await h.WaitForStatusAsync(webhook, failed, "succeeded");
        var failedAttempts = recoveredFailed.GetProperty("attempts");
        Assert.Equal(2, failedAttempts.GetArrayLength());
        Assert.Equal(2, failedAttempts[1].GetProperty("run").GetInt32());
        await h.WaitForQueuesToSettleAsync(storage);
        Assert.Equal(receivedBefore + 2, h.ReceivedOn("/hook").Count);
        Assert.Equal(3, (await h.DeliveryAsync(webhook, older)).GetProperty("attemptCount").GetInt32());
        Assert.Equal("exhausted", (await h.DeliveryAsync(webhook, older)).GetProperty("status").GetString());
        Assert.Equal(1, (await h.DeliveryAsync(webhook, succeeded)).GetProperty("attemptCount").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?since=")]
    [InlineData("?since=yesterday")]
    [InlineData("?since=2026-13-45T00:00:00Z")]
    public async Task RecoverWithoutAValidSinceIsA400NamingSince(string query)
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();

        var response = await h.Api.PostAsync($"{Routes.Recover(h.Org, webhook)}{query}", null);

        await response.AssertFieldErrorAsync("since");
    }
}
