using System.Text;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Delivery;
using Webhooks.DurableDriver;
using Webhooks.Functions.Deliveries;
using Webhooks.Functions.Events;
using Webhooks.Signing;
using Webhooks.Storage;
using Webhooks.Tests.FunctionsHttp;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Functions;

/// <summary>
/// The Functions app's delivery path end to end in one process: the fan-out function starts an
/// orchestration, which runs over the real activities (Azurite, a loopback receiver, signatures);
/// only Durable's runtime is stood in for, with timers that fire at once.
/// </summary>
[Collection(DurableStorageTests.Name)]
public sealed class OrchestratedDeliveryTests(AzuriteFixture storage)
{
    /// <summary>Fans the event out through the function and returns the one orchestration it started.</summary>
    private static async Task<DeliveryTicket> FanOutAsync(DeliveryHarness h, string eventId)
    {
        var client = new RecordingDurableClient();
        var envelope = QueueMessageText.Encode(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(TestEvents.Envelope(h.Org, id: eventId))));
        await ActivatorUtilities.CreateInstance<EventFunctions>(h.App.Services)
            .FanOutEvent(QueuesModelFactory.QueueMessage("m1", "r1", BinaryData.FromString(envelope), 1), client, CancellationToken.None);
        return Assert.IsType<DeliveryTicket>(Assert.Single(client.Scheduled).Input);
    }

    private static async Task<RecordingOrchestrationContext> RunAsync(DeliveryHarness h, string eventId) => await OrchestrateAsync(h, await FanOutAsync(h, eventId));

    /// <summary>Runs the orchestrator over the real activities, its timers firing at once.</summary>
    private static async Task<RecordingOrchestrationContext> OrchestrateAsync(DeliveryHarness h, DeliveryTicket ticket)
    {
        var activities = ActivatorUtilities.CreateInstance<DeliveryActivities>(h.App.Services);
        var context = new RecordingOrchestrationContext(ticket, async (name, input) => name switch
        {
            nameof(DeliveryActivities.AttemptDelivery) => await activities.AttemptDelivery(RecordingOrchestrationContext.Read<AttemptActivityInput>(input), CancellationToken.None),
            nameof(DeliveryActivities.ConcludeDelivery) => await activities.ConcludeDelivery(RecordingOrchestrationContext.Read<ConclusionActivityInput>(input), CancellationToken.None),
            _ => throw new InvalidOperationException(name),
        }, DateTime.UtcNow);
        await DeliveryOrchestration.DeliverWebhook(context);
        return context;
    }

    [Fact]
    public async Task AnOrchestratedDeliveryRetriesThenSucceedsSignedAndRecordedWithNoSecretInItsHistory()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        h.Receiver.Respond = LoopbackReceiver.FirstThen(LoopbackReceiver.Status(500), LoopbackReceiver.Status(200));
        var (webhook, secret) = await h.CreateWebhookAsync();

        var context = await RunAsync(h, "evt_orchestrated");

        var received = h.ReceivedOn("/hook");
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.True(WebhookVerifier.VerifyHex(secret, r.Headers["X-Webhook-Signature"], Encoding.UTF8.GetBytes(r.Body))));
        var delivery = await h.DeliveryAsync(webhook, h.DeliveryIdOf("evt_orchestrated", webhook));
        Assert.Equal("succeeded", delivery.GetProperty("status").GetString());
        Assert.Equal(2, delivery.GetProperty("attempts").GetArrayLength());
        Assert.Single(context.Calls, c => c.Kind == "timer");
        // Orchestration history (input, activity inputs and outputs, status) holds no secret and no payload.
        var history = string.Join("\n", context.History);
        Assert.DoesNotContain(secret, history, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", history, StringComparison.Ordinal);
        Assert.DoesNotContain("bld_42", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrchestratedDeliveryAnswered410IsConcludedAndDisablesTheWebhookInItsOneAttemptActivity()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        h.Receiver.Respond = LoopbackReceiver.Status(410);
        var (webhook, _) = await h.CreateWebhookAsync();

        var context = await RunAsync(h, "evt_gone");

        Assert.Equal(nameof(DeliveryActivities.AttemptDelivery), Assert.Single(context.Calls).Name);
        var delivery = await h.DeliveryAsync(webhook, h.DeliveryIdOf("evt_gone", webhook));
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal("gone", delivery.GetProperty("failureReason").GetString());
        Assert.False((await h.WebhookAsync(webhook)).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task AChatWebhooksUrlNeverEntersTheOrchestrationHistory()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        const string token = "T9/B9/orchestration-token";
        await h.Api.CreateWebhookAsync(h.Org, new Uri(h.Receiver.Url, "/services/" + token).ToString(), name: "slack", type: "slack");

        var context = await RunAsync(h, "evt_chat");

        Assert.Single(h.ReceivedOn("/services/" + token));
        Assert.DoesNotContain(token, string.Join("\n", context.History), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFirstTrySuccessIsOneAttemptActivityThatRecordsTheAttemptAndTheConclusion()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var (webhook, _) = await h.CreateWebhookAsync();

        var context = await RunAsync(h, "evt_first_try");

        Assert.Equal(nameof(DeliveryActivities.AttemptDelivery), Assert.Single(context.Calls).Name);
        var delivery = await h.DeliveryAsync(webhook, h.DeliveryIdOf("evt_first_try", webhook));
        Assert.Equal("succeeded", delivery.GetProperty("status").GetString());
        Assert.Equal(200, Assert.Single(delivery.GetProperty("attempts").EnumerateArray()).GetProperty("response").GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task TheSameAttemptRequestRunTwicePostsOnceAndReturnsTheSameResult()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        h.Receiver.Respond = LoopbackReceiver.Status(500);
        var (webhook, _) = await h.CreateWebhookAsync();
        var ticket = await FanOutAsync(h, "evt_retried_attempt");
        var activities = ActivatorUtilities.CreateInstance<DeliveryActivities>(h.App.Services);
        var request = new AttemptActivityInput(ticket, 1);

        var first = await activities.AttemptDelivery(request, CancellationToken.None);
        var retried = await activities.AttemptDelivery(request, CancellationToken.None);

        Assert.Single(h.ReceivedOn("/hook"));
        Assert.Equal(AttemptFollowUp.Wait, first.FollowUp);
        Assert.Equal((500, 2), (first.StatusCode, first.NextAttempt));
        Assert.Equal(first, retried);
        var delivery = await h.DeliveryAsync(webhook, ticket.DeliveryId);
        Assert.Single(delivery.GetProperty("attempts").EnumerateArray());
        Assert.Equal(first.WaitUntil, delivery.GetProperty("nextAttemptAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task ARetriedAttemptWhoseConclusionWasNotAppliedAppliesItWithoutPostingAgain()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        h.Receiver.Respond = LoopbackReceiver.Status(410);
        var (webhook, _) = await h.CreateWebhookAsync();
        var ticket = await FanOutAsync(h, "evt_retried_conclusion");
        var activities = ActivatorUtilities.CreateInstance<DeliveryActivities>(h.App.Services);
        var request = new AttemptActivityInput(ticket, 1);
        var first = await activities.AttemptDelivery(request, CancellationToken.None);
        // As if applying the conclusion had failed after the write: the webhook is still on.
        (await h.Api.PatchAsync(Routes.Webhook(h.Org, webhook), System.Net.Http.Json.JsonContent.Create(new { enabled = true }))).EnsureSuccessStatusCode();
        Assert.True((await h.WebhookAsync(webhook)).GetProperty("enabled").GetBoolean());

        var retried = await activities.AttemptDelivery(request, CancellationToken.None);

        Assert.Single(h.ReceivedOn("/hook"));
        Assert.Equal(AttemptResult.Ended(410, new DeliveryEnd(false, FailureReason.Gone)), first);
        Assert.Equal(first, retried);
        Assert.False((await h.WebhookAsync(webhook)).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task AConclusionActivityRunAgainAfterItsRunConcludedReturnsTheRecordedEndAndWritesNothingNew()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var (webhook, _) = await h.CreateWebhookAsync();
        var ticket = await FanOutAsync(h, "evt_concluded_twice");
        var activities = ActivatorUtilities.CreateInstance<DeliveryActivities>(h.App.Services);
        await activities.AttemptDelivery(new AttemptActivityInput(ticket, 1), CancellationToken.None);

        var end = await activities.ConcludeDelivery(new ConclusionActivityInput(ticket, new DeliveryEnd(false, FailureReason.Exhausted)), CancellationToken.None);

        Assert.Equal(new DeliveryEnd(true, null), end);
        Assert.Equal("succeeded", (await h.DeliveryAsync(webhook, ticket.DeliveryId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ARestartedOrchestrationResumesAfterTheRecordedAttemptWithoutPostingItAgain()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        h.Receiver.Respond = LoopbackReceiver.FirstThen(LoopbackReceiver.Status(500), LoopbackReceiver.Status(200));
        var (webhook, _) = await h.CreateWebhookAsync();
        var ticket = await FanOutAsync(h, "evt_restarted");
        // The first instance recorded attempt 1 and then ended without going on (failed, terminated).
        await ActivatorUtilities.CreateInstance<DeliveryActivities>(h.App.Services).AttemptDelivery(new AttemptActivityInput(ticket, 1), CancellationToken.None);

        var restarted = await OrchestrateAsync(h, ticket);

        Assert.Equal(2, h.ReceivedOn("/hook").Count);
        Assert.Equal(3, restarted.Calls.Count);
        Assert.Contains("\"attempt\":2", restarted.Calls[^1].Input, StringComparison.Ordinal);
        var delivery = await h.DeliveryAsync(webhook, ticket.DeliveryId);
        Assert.Equal("succeeded", delivery.GetProperty("status").GetString());
        Assert.Equal(2, delivery.GetProperty("attempts").GetArrayLength());
    }
}
