using Azure.Storage.Queues.Models;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.DurableDriver;
using Webhooks.Functions.Deliveries;
using Webhooks.Functions.Events;
using Webhooks.Storage;
using Webhooks.Tests.FunctionsHttp;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Functions;

/// <summary>The Functions fan-out: one queue message starts exactly the matching deliveries as orchestrations, with derived instance ids, once.</summary>
[Collection(DurableStorageTests.Name)]
public sealed class FanOutFunctionTests(AzuriteFixture storage)
{
    private static QueueMessage Message(string text, long dequeueCount = 1, string? id = null) =>
        QueuesModelFactory.QueueMessage(id ?? Guid.NewGuid().ToString(), "receipt", BinaryData.FromString(text), dequeueCount);

    private static string Base64(object envelope) => QueueMessageText.Encode(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(envelope));

    [Fact]
    public async Task TheFanOutFunctionStartsExactlyTheMatchingDeliveriesWithTheirDerivedIds()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var matching = (await h.CreateWebhookAsync(events: new[] { "build_completed" })).Id;
        var everything = (await h.CreateWebhookAsync()).Id;
        await h.CreateWebhookAsync(events: new[] { "build_failed" });
        await h.CreateWebhookAsync(projects: new { exclude = new[] { "my-app" } });
        var disabled = (await h.CreateWebhookAsync()).Id;
        await h.Api.PatchAsync(Routes.Webhook(h.Org, disabled), System.Net.Http.Json.JsonContent.Create(new { enabled = false }));
        var functions = ActivatorUtilities.CreateInstance<EventFunctions>(h.App.Services);
        var client = new RecordingDurableClient();
        var envelope = TestEvents.Envelope(h.Org);
        var eventId = envelope["id"]!.GetValue<string>();

        await functions.FanOutEvent(Message(Base64(envelope)), client, CancellationToken.None);

        Assert.Equal(
            new[] { h.DeliveryIdOf(eventId, matching), h.DeliveryIdOf(eventId, everything) }.Order(),
            client.Scheduled.Select(s => s.InstanceId).Order());
        Assert.All(client.Scheduled, s =>
        {
            Assert.Equal(nameof(DeliveryOrchestration.DeliverWebhook), s.Name);
            var ticket = Assert.IsType<DeliveryTicket>(s.Input);
            Assert.Equal(1, ticket.Run);
            Assert.Equal(h.Org, ticket.OrganizationId);
            Assert.Equal(s.InstanceId, ticket.InstanceId);
        });
        var store = h.App.Services.GetRequiredService<DeliveryStore>();
        foreach (var webhook in new[] { matching, everything })
        {
            Assert.Equal(DeliveryStatus.Pending, (await store.GetAsync(new DeliveryKey(h.Org, webhook, h.DeliveryIdOf(eventId, webhook)), CancellationToken.None))!.Status);
        }
    }

    [Fact]
    public async Task AResendWhileTheFirstAttemptMayBeRunningIsRefusedAsInTheStandaloneHost()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var webhook = (await h.CreateWebhookAsync()).Id;
        var functions = ActivatorUtilities.CreateInstance<EventFunctions>(h.App.Services);
        var envelope = TestEvents.Envelope(h.Org);
        var delivery = h.DeliveryIdOf(envelope["id"]!.GetValue<string>(), webhook);

        // The orchestration is started, not run: its first attempt may be sending right now.
        await functions.FanOutEvent(Message(Base64(envelope)), new RecordingDurableClient(), CancellationToken.None);
        var http = new FunctionsHttpHost(h.App.Services);
        var resend = await http.SendAsync(ApiRequest.Post($"{Routes.Deliveries(h.Org, webhook)}/{delivery}/resend"));

        // Refused rather than sent twice at once: the fan-out held the row for one attempt, in this host as in the standalone one.
        Assert.Equal(409, resend.Status);
        Assert.Empty(http.Durable.Scheduled);
    }

    [Fact]
    public async Task AnEventProcessedAgainStartsNothingTwice()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        await h.CreateWebhookAsync();
        await h.CreateWebhookAsync();
        var functions = ActivatorUtilities.CreateInstance<EventFunctions>(h.App.Services);
        var client = new RecordingDurableClient();
        var text = Base64(TestEvents.Envelope(h.Org));

        await functions.FanOutEvent(Message(text), client, CancellationToken.None);
        await functions.FanOutEvent(Message(text, dequeueCount: 2), client, CancellationToken.None);
        await functions.FanOutEvent(Message(text), client, CancellationToken.None);

        Assert.Equal(2, client.Scheduled.Count);
    }

    [Fact]
    public async Task AFanOutThatFailedHalfwayIsFinishedByItsRetryWithoutStartingAnythingTwice()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var first = (await h.CreateWebhookAsync()).Id;
        var second = (await h.CreateWebhookAsync()).Id;
        var functions = ActivatorUtilities.CreateInstance<EventFunctions>(h.App.Services);
        var recorded = new RecordingDurableClient();
        var envelope = TestEvents.Envelope(h.Org);
        var eventId = envelope["id"]!.GetValue<string>();
        var text = Base64(envelope);

        await Assert.ThrowsAnyAsync<Exception>(() => functions.FanOutEvent(Message(text), new RefusingClient(recorded, h.DeliveryIdOf(eventId, second)), CancellationToken.None));
        Assert.DoesNotContain(h.DeliveryIdOf(eventId, second), recorded.Scheduled.Select(s => s.InstanceId));

        await functions.FanOutEvent(Message(text, dequeueCount: 2), recorded, CancellationToken.None);

        // The recording client refuses a second start of an instance id, so each appears exactly once.
        Assert.Equal(new[] { h.DeliveryIdOf(eventId, first), h.DeliveryIdOf(eventId, second) }.Order(), recorded.Scheduled.Select(s => s.InstanceId).Order());
    }

    [Fact]
    public async Task AMalformedEventIsMovedToThePoisonQueueWithItsReasonAndTheFunctionSucceeds()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var functions = ActivatorUtilities.CreateInstance<EventFunctions>(h.App.Services);
        var client = new RecordingDurableClient();
        var message = Message("""{"id":"evt_x","type":"no_such_type"}""");

        // No exception: bad input is not a failure for the trigger to retry.
        await functions.FanOutEvent(message, client, CancellationToken.None);

        Assert.Empty(client.Scheduled);
        var row = await Webhooks.Tests.Api.PoisonEventTests.PoisonReasonAsync(storage, h.App.EventsQueue + "-poison", message.MessageId, h.Problems);
        Assert.Contains("type", row.GetString("Reason"), StringComparison.Ordinal);
        Assert.Contains(h.App.Logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.Contains("no_such_type", StringComparison.Ordinal));
    }

    /// <summary>A Durable client that fails to start one instance id (a transient error), delegating everything else.</summary>
    private sealed class RefusingClient(RecordingDurableClient inner, string refusedInstanceId) : TestDurableClient("refusing")
    {
        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
            options?.InstanceId == refusedInstanceId
                ? throw new InvalidOperationException("task hub unavailable")
                : inner.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);

        public override Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            inner.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation);
    }
}
