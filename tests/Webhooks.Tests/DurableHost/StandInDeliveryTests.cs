using System.Text;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Webhooks.Signing;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.DurableHost;

/// <summary>
/// The Functions app's delivery path on the Functions host stand-in: its queue fan-out fed from the real
/// events queue, its orchestration and activities on the real Durable Task engine and Azure Storage
/// provider over Azurite, the task hub read back directly from its tables.
/// </summary>
[Collection(DurableStorageTests.Name)]
[Trait("Category", "Slow")]
public sealed class StandInDeliveryTests(AzuriteFixture storage)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AnEventOnTheQueueReachesTheReceiverSignedAndFormattedAndItsHistoryShowsTheAttempt()
    {
        await using var h = await StandInHarness.StartAsync(storage);
        var (webhook, secret) = await h.CreateWebhookAsync();

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded", Patience);
        var received = Assert.Single(h.ReceivedOn("/hook"));
        Assert.True(WebhookVerifier.VerifyHex(secret, received.Headers["X-Webhook-Signature"], Encoding.UTF8.GetBytes(received.Body)));
        Assert.Equal(h.DeliveryIdOf(eventId, webhook), received.Headers["webhook-id"]);
        var body = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(eventId, body.GetProperty("id").GetString());
        Assert.Equal("build_completed", body.GetProperty("event").GetString());
        Assert.Equal("bld_42", body.GetProperty("data").GetProperty("id").GetString());
        var attempt = Assert.Single(delivery.GetProperty("attempts").EnumerateArray());
        Assert.Equal(200, attempt.GetProperty("response").GetProperty("statusCode").GetInt32());
        var instance = await h.Durable.GetInstanceAsync(h.DeliveryIdOf(eventId, webhook));
        Assert.NotNull(instance);
    }

    [Fact]
    public async Task AFailureThenASuccessWaitsOnARealDurableTimer()
    {
        await using var h = await StandInHarness.StartAsync(storage, ("Webhooks:Retry:Schedule:1", "00:00:02"), ("Webhooks:Retry:JitterFraction", "0"));
        h.Receiver.Respond = LoopbackReceiver.FirstThen(LoopbackReceiver.Status(503), LoopbackReceiver.Status(200));
        var (webhook, _) = await h.CreateWebhookAsync();

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        var delivery = await h.WaitForStatusAsync(webhook, deliveryId, "succeeded", Patience);
        Assert.Equal(2, delivery.GetProperty("attempts").GetArrayLength());
        // The Durable driver records the last attempt's duration on the delivery too.
        Assert.Equal(delivery.GetProperty("attempts")[1].GetProperty("durationMs").GetDouble(), delivery.GetProperty("lastDurationMs").GetDouble());
        var received = h.ReceivedOn("/hook");
        Assert.Equal(2, received.Count);
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromSeconds(1.9), $"the retry came {received[1].At - received[0].At} after the failure");
        // The wait was a durable timer in the orchestration's history, not a sleep in an activity.
        var history = (await h.HubRowsAsync("History")).Where(r => r.PartitionKey == deliveryId).Select(r => r.GetString("EventType")).ToList();
        Assert.Contains("TimerCreated", history);
        Assert.Contains("TimerFired", history);
    }

    [Fact]
    public async Task A410DisablesTheWebhook()
    {
        await using var h = await StandInHarness.StartAsync(storage);
        h.Receiver.Respond = LoopbackReceiver.Status(410);
        var (webhook, _) = await h.CreateWebhookAsync();

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "failed", Patience);
        Assert.Equal("gone", delivery.GetProperty("failureReason").GetString());
        // The delivery's conclusion is recorded before its effect on the webhook is applied, so the reader may see "failed" first.
        var disabled = await Eventually.ReturnsAsync<string>(async () =>
        {
            var w = await h.WebhookAsync(webhook);
            return w.GetProperty("enabled").GetBoolean() ? null : w.GetProperty("disabledReason").GetString();
        }, "the webhook to be disabled", details: h.Problems);
        Assert.Contains("410", disabled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExhaustedRunConcludesAndDisablesTheWebhookByTheWindowRule()
    {
        await using var h = await StandInHarness.StartAsync(storage, ("Webhooks:Delivery:AutoDisableAfter", "00:00:01"));
        h.Receiver.Respond = LoopbackReceiver.Status(500);
        var (webhook, _) = await h.CreateWebhookAsync();

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "exhausted", Patience);
        Assert.Equal(3, delivery.GetProperty("attempts").GetArrayLength());
        Assert.Equal(3, h.ReceivedOn("/hook").Count);
        var disabled = await Eventually.ReturnsAsync<string>(async () =>
        {
            var w = await h.WebhookAsync(webhook);
            return w.GetProperty("enabled").GetBoolean() ? null : w.GetProperty("disabledReason").GetString();
        }, "the webhook to be disabled", details: h.Problems);
        Assert.Contains("No delivery succeeded for 1 second", disabled, StringComparison.Ordinal);
        using var wait = new CancellationTokenSource(Patience);
        var instance = await h.Durable.WaitForInstanceCompletionAsync(h.DeliveryIdOf(eventId, webhook), cancellation: wait.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
    }

    [Fact]
    public async Task AResendStartsARunOrchestrationOfItsOwn()
    {
        await using var h = await StandInHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "succeeded", Patience);

        var response = await h.Api.PostAsync(Routes.Resend(h.Org, webhook, deliveryId), null);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.HoldsAsync(() => h.ReceivedOn("/hook").Count == 2, "the resent delivery to arrive", Patience, h.Problems);
        using var wait = new CancellationTokenSource(Patience);
        var run2 = await h.Durable.WaitForInstanceCompletionAsync(deliveryId + "-run2", cancellation: wait.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run2.RuntimeStatus);
        Assert.All(h.ReceivedOn("/hook"), r => Assert.Equal(deliveryId, r.Headers["webhook-id"]));
        var delivery = await Eventually.ReturnsAsync<System.Text.Json.JsonElement?>(async () =>
            await h.DeliveryAsync(webhook, deliveryId) is var d && d.GetProperty("attempts").GetArrayLength() == 2 ? d : null, "the resent attempt in the history", Patience, h.Problems);
        Assert.Equal([1, 2], delivery!.Value.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("run").GetInt32()));
        Assert.Equal("succeeded", delivery.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheSameEventTwiceStartsOneOrchestration()
    {
        await using var h = await StandInHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var envelope = TestEvents.Envelope(h.Org);

        var eventId = await h.PublishAsync(envelope);
        await h.PublishAsync(envelope);

        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "succeeded", Patience);
        // Both messages handled: the events queue is empty and nothing was poisoned.
        await Eventually.HoldsAsync(async () => await h.QueueLengthAsync(h.Names.EventsQueue) == 0, "both event messages to be handled", Patience, h.Problems);
        Assert.Single(h.ReceivedOn("/hook"));
        var instances = (await h.HubRowsAsync("Instances")).Select(r => r.PartitionKey).ToList();
        Assert.Equal([deliveryId], instances);
    }

    [Fact]
    public async Task TheTaskHubsOwnTablesHoldNoSecretAndNoPayload()
    {
        await using var h = await StandInHarness.StartAsync(storage);
        h.Receiver.Respond = LoopbackReceiver.FirstThen(LoopbackReceiver.Status(500), LoopbackReceiver.Status(200));
        var (webhook, secret) = await h.CreateWebhookAsync();
        var slack = (await h.CreateWebhookAsync("/services/T000/B000/slacktoken0123456789", type: "slack")).Id;

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org, message: "payload-marker-7f3a"));

        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded", Patience);
        await h.WaitForStatusAsync(slack, h.DeliveryIdOf(eventId, slack), "succeeded", Patience);
        var rows = (await h.HubRowsAsync("History")).Concat(await h.HubRowsAsync("Instances")).ToList();
        Assert.NotEmpty(rows);
        var stored = string.Join("\n", rows.SelectMany(r => r.Select(p => p.Value?.ToString())));
        Assert.Contains(h.DeliveryIdOf(eventId, webhook), stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("slacktoken0123456789", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("payload-marker-7f3a", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("bld_42", stored, StringComparison.Ordinal);
    }
}
