using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.EndToEnd;

/// <summary>
/// Delivery faults with a retry schedule scaled down to seconds: retries after the scheduled wait,
/// exhaustion, 410 Gone, Retry-After, timeouts, connection resets and redirects.
/// </summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class RetryAndFailureTests(AzuriteFixture storage)
{
    [Fact]
    public async Task AFailedAttemptIsRetriedAfterTheScheduledWaitAndThenSucceeds()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Retry:Schedule:1", "00:00:02"));
        h.Receiver.Respond = LoopbackReceiver.FirstThen(LoopbackReceiver.Status(500), LoopbackReceiver.Status(200));
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        var received = h.ReceivedOn("/hook");
        Assert.Equal(2, received.Count);
        // 2 s scheduled, ±20% jitter: the retry never comes early. How late it may come is the machine's speed, not the schedule.
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromSeconds(1.6), $"the retry came {received[1].At - received[0].At} after the first attempt");
        Assert.Equal(received[0].Headers["webhook-id"], received[1].Headers["webhook-id"]);
        Assert.NotEqual(received[0].Headers["webhook-signature"], received[1].Headers["webhook-signature"]);
        var attempts = delivery.GetProperty("attempts");
        Assert.Equal(2, attempts.GetArrayLength());
        Assert.Equal(500, attempts[0].GetProperty("response").GetProperty("statusCode").GetInt32());
        Assert.Equal(200, attempts[1].GetProperty("response").GetProperty("statusCode").GetInt32());
        Assert.Equal(2, delivery.GetProperty("attemptCount").GetInt32());
        Assert.Equal(200, delivery.GetProperty("lastStatusCode").GetInt32());
    }

    [Fact]
    public async Task ExhaustedDeliveriesDisableTheWebhookOnceItHasFailedForTheWholeWindow()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Delivery:AutoDisableAfter", "00:00:01"));
        h.Receiver.Respond = LoopbackReceiver.Status(500);
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "exhausted");

        Assert.Equal(3, delivery.GetProperty("attempts").GetArrayLength());
        Assert.Equal("exhausted", delivery.GetProperty("failureReason").GetString());
        Assert.Equal(3, h.ReceivedOn("/hook").Count);
        var disabled = await Eventually.ReturnsAsync<string>(async () =>
        {
            var w = await h.WebhookAsync(webhook);
            return w.GetProperty("enabled").GetBoolean() ? null : w.GetProperty("disabledReason").GetString();
        }, "the webhook to be disabled", details: h.Problems);
        Assert.Contains("No delivery succeeded for 1 second", disabled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExhaustedDeliveryWithinTheWindowLeavesTheWebhookEnabledAndASuccessEndsTheStreak()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Delivery:AutoDisableAfter", "01:00:00"));
        h.Receiver.Respond = LoopbackReceiver.Status(500);
        var (webhook, _) = await h.CreateWebhookAsync();
        var failing = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(failing, webhook), "exhausted");

        var stored = await Eventually.ReturnsAsync(async () =>
        {
            var w = await h.StoredWebhookAsync(webhook);
            return w?.FailingSince is null ? null : w;
        }, "the failure streak to be recorded");
        Assert.True(stored.Enabled);

        h.Receiver.Respond = LoopbackReceiver.Status(204);
        var ok = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(ok, webhook), "succeeded");
        var after = await Eventually.ReturnsAsync(async () =>
        {
            var w = await h.StoredWebhookAsync(webhook);
            return w?.LastSuccessAt > w?.FailingSince ? w : null;
        }, "the success to be recorded after the streak");
        Assert.True((await h.WebhookAsync(webhook)).GetProperty("enabled").GetBoolean());
        Assert.Equal(204, (await h.WebhookAsync(webhook)).GetProperty("lastStatusCode").GetInt32());
        Assert.NotNull(after.LastTriggeredAt);
    }

    [Fact]
    public async Task GoneDisablesTheWebhookAtOnceAndTellsTheOrganization()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = context =>
        {
            context.Response.StatusCode = context.Request.Path == "/hook" ? 410 : 200;
            return Task.CompletedTask;
        };
        var (webhook, _) = await h.CreateWebhookAsync(events: new[] { "build_completed" });
        var (watcher, _) = await h.CreateWebhookAsync(events: new[] { "webhook.disabled" }, path: "/watcher");
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "failed");

        Assert.Equal("gone", delivery.GetProperty("failureReason").GetString());
        Assert.Single(h.ReceivedOn("/hook"));
        // The delivery's conclusion is recorded before its effect on the webhook is applied, so the reader may see "failed" first.
        var stored = (await Eventually.ReturnsAsync<System.Text.Json.JsonElement?>(async () =>
            await h.WebhookAsync(webhook) is var w && !w.GetProperty("enabled").GetBoolean() ? w : null, "the webhook to be disabled", details: h.Problems))!.Value;
        Assert.Contains("410", stored.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, stored.GetProperty("disabledAt").ValueKind);
        await Eventually.HoldsAsync(() => h.ReceivedOn("/watcher").Count == 1, "the webhook.disabled event");
        var notice = System.Text.Json.JsonDocument.Parse(h.ReceivedOn("/watcher")[0].Body).RootElement;
        Assert.Equal("webhook.disabled", notice.GetProperty("event").GetString());
        Assert.Equal(webhook, notice.GetProperty("data").GetProperty("webhookId").GetString());
        Assert.Equal(h.Org, notice.GetProperty("organization").GetProperty("id").GetString());
        _ = watcher;
    }

    [Fact]
    public async Task RetryAfterHoldsTheNextAttemptBackLongerThanTheSchedule()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = LoopbackReceiver.FirstThen(context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "3";
            return Task.CompletedTask;
        }, LoopbackReceiver.Status(200));
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        var received = h.ReceivedOn("/hook");
        Assert.Equal(2, received.Count);
        // The schedule says 1 s (at most 1.2 s with jitter); the endpoint asked for 3 s.
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromSeconds(2.5), $"retried after {received[1].At - received[0].At}");
        Assert.Equal(429, delivery.GetProperty("attempts")[0].GetProperty("response").GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task ATimeoutIsRecordedAndRetried()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Sending:Timeout", "00:00:01"));
        h.Receiver.Respond = LoopbackReceiver.FirstThen(_ => Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None), LoopbackReceiver.Status(200));
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        var first = delivery.GetProperty("attempts")[0];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("response").ValueKind);
        Assert.Contains("Timed out", first.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, delivery.GetProperty("attemptCount").GetInt32());
    }

    [Fact]
    public async Task AConnectionResetIsRecordedAndRetried()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = LoopbackReceiver.FirstThen(context =>
        {
            context.Abort();
            return Task.CompletedTask;
        }, LoopbackReceiver.Status(200));
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        var first = delivery.GetProperty("attempts")[0];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("response").ValueKind);
        Assert.False(string.IsNullOrEmpty(first.GetProperty("error").GetString()));
        Assert.Equal(2, h.ReceivedOn("/hook").Count);
    }

    [Fact]
    public async Task ARedirectIsAFailureAndIsNotFollowed()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = context =>
        {
            if (context.Request.Path == "/hook")
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = "/elsewhere";
            }
            return Task.CompletedTask;
        };
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "exhausted");

        Assert.All(delivery.GetProperty("attempts").EnumerateArray(), a => Assert.Equal(307, a.GetProperty("response").GetProperty("statusCode").GetInt32()));
        Assert.Empty(h.ReceivedOn("/elsewhere"));
        Assert.Equal(3, h.ReceivedOn("/hook").Count);
    }
}
