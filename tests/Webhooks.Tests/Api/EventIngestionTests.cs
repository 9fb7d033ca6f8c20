using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>Every way an event gets in (HTTP, the queue as base64 or plain JSON, the producer client) ends in a delivery.</summary>
[Collection(StorageTests.Name)]
public sealed class EventIngestionTests(AzuriteFixture storage)
{
    [Fact]
    public async Task AnEventPublishedOverHttpIsAcceptedAndDelivered()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var envelope = TestEvents.Envelope(h.Org);

        var response = await h.Api.PostEventAsync(h.Org, envelope);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync();
        var eventId = envelope["id"]!.GetValue<string>();
        Assert.Equal(eventId, accepted.GetProperty("id").GetString());
        Assert.Equal("build_completed", accepted.GetProperty("type").GetString());
        Assert.Equal(h.Org, accepted.GetProperty("organizationId").GetString());
        await AssertDeliveredAsync(h, webhook, eventId);
    }

    [Fact]
    public async Task AnEventQueuedAsBase64IsDelivered()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var envelope = TestEvents.Envelope(h.Org);
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, h.App);

        await queue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(envelope.ToJsonString())));

        await AssertDeliveredAsync(h, webhook, envelope["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEventQueuedAsPlainJsonIsDelivered()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var envelope = TestEvents.Envelope(h.Org);
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, h.App);

        await queue.SendMessageAsync(envelope.ToJsonString());

        await AssertDeliveredAsync(h, webhook, envelope["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEventQueuedThroughTheAppsQueueProviderIsDelivered()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var envelope = TestEvents.Envelope(h.Org);
        var queue = await h.App.Services.GetRequiredService<QueueProvider>().EventsAsync(CancellationToken.None);

        await queue.SendMessageAsync(QueueMessageText.Encode(Encoding.UTF8.GetBytes(envelope.ToJsonString())));

        await AssertDeliveredAsync(h, webhook, envelope["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEventPublishedWithTheProducerClientIsDelivered()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var publisher = h.App.Services.GetRequiredService<EventPublisher>();
        var e = new WebhookEvent
        {
            Id = TestEvents.NewId(),
            Type = "submit_failed",
            OccurredAt = DateTimeOffset.UtcNow,
            Organization = new EventOrganization(h.Org, "Acme Mobile"),
            Project = "my-app",
            Data = new JsonObject { ["store"] = "app-store" },
            Message = "Rejected",
        };

        var published = await publisher.PublishAsync(e, CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(published.MessageId));
        Assert.True(Webhooks.Tracing.PipelineTracing.IsValidTraceParent(published.TraceParent!), "With no span of its own, the producer client starts a trace for the pipeline.");
        var body = await AssertDeliveredAsync(h, webhook, e.Id);
        Assert.Equal("submit_failed", body.GetProperty("event").GetString());
        Assert.Equal("app-store", body.GetProperty("data").GetProperty("store").GetString());
        Assert.Equal("Rejected", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnEventOfTheLargestAllowedSizeFitsTheQueueAsBase64AndIsDelivered()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var e = new WebhookEvent
        {
            Id = TestEvents.NewId(),
            Type = "build_completed",
            OccurredAt = DateTimeOffset.UtcNow,
            Organization = new EventOrganization(h.Org, "Acme Mobile"),
            Data = new JsonObject { ["log"] = "" },
        };
        // Pad the data so the envelope is exactly the size the reader allows.
        var padding = EventEnvelopeReader.MaxEventBytes - EventEnvelopeWriter.Write(e).Length;
        e.Data["log"] = new string('x', padding);
        Assert.Equal(EventEnvelopeReader.MaxEventBytes, EventEnvelopeWriter.Write(e).Length);

        await h.App.Services.GetRequiredService<EventPublisher>().PublishAsync(e, CancellationToken.None);

        var body = await AssertDeliveredAsync(h, webhook, e.Id);
        Assert.Equal(padding, body.GetProperty("data").GetProperty("log").GetString()!.Length);
    }

    [Fact]
    public async Task TheProducerClientRefusesABadEventBeforeItReachesTheQueue()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var publisher = h.App.Services.GetRequiredService<EventPublisher>();
        var e = new WebhookEvent
        {
            Id = TestEvents.NewId(),
            Type = "deploy_started",
            OccurredAt = DateTimeOffset.UtcNow,
            Organization = new EventOrganization(h.Org, null),
            Data = [],
        };

        var refused = await Assert.ThrowsAsync<ValidationException>(() => publisher.PublishAsync(e, CancellationToken.None));

        Assert.Contains("type", refused.Errors.Keys);
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, h.App);
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
    }

    /// <summary>Waits for the delivery of <paramref name="eventId"/> to succeed; returns the body the receiver got.</summary>
    private static async Task<JsonElement> AssertDeliveredAsync(DeliveryHarness h, string webhook, string eventId)
    {
        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        Assert.Equal(eventId, delivery.GetProperty("eventId").GetString());
        var received = Assert.Single(h.ReceivedOn("/hook"));
        Assert.Equal(h.DeliveryIdOf(eventId, webhook), received.Headers["webhook-id"]);
        var body = JsonDocument.Parse(received.Body).RootElement.Clone();
        Assert.Equal(eventId, body.GetProperty("id").GetString());
        Assert.Equal(h.Org, body.GetProperty("organization").GetProperty("id").GetString());
        return body;
    }
}
