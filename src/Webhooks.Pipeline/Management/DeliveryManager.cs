using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Management;

/// <summary>
/// A webhook's delivery history and what customers do with it: read it, resend a delivery (same
/// id, so receivers dedupe), send a test ping, and recover every failed delivery since a time.
/// Starting deliveries takes the host's scheduler per call: the Functions app has one per invocation.
/// </summary>
public sealed partial class DeliveryManager(
    WebhookStore webhooks,
    DeliveryStore deliveries,
    TimeProvider clock,
    IOptions<DashboardOptions> dashboard,
    ILogger<DeliveryManager> logger)
{
    /// <summary>The most deliveries one recover request resends; the answer says when more remain.</summary>
    public const int MaxRecoveredPerRequest = 1000;

    public async Task<Page<DeliveryRecord>?> ListAsync(DeliveryListQuery query, int pageSize, string? continuation, CancellationToken cancellationToken) =>
        await FindWebhookAsync(query.OrganizationId, query.WebhookId, cancellationToken) is null
            ? null
            : await deliveries.ListAsync(query, pageSize, continuation, cancellationToken);

    /// <summary>
    /// The webhook's deliveries over the last 24 hours, by hour and status, with response-time
    /// percentiles; null when the webhook does not exist. One point read of the webhook and one
    /// range query of its listing rows, newest first, reading at most <see cref="DashboardOptions.StatsMaxDeliveries"/>.
    /// </summary>
    public async Task<WebhookStats?> StatsAsync(string organizationId, string webhookId, CancellationToken cancellationToken)
    {
        if (await FindWebhookAsync(organizationId, webhookId, cancellationToken) is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var (read, truncated) = await deliveries.ListNewestSinceAsync(organizationId, webhookId, WebhookStats.WindowAt(now).From, dashboard.Value.StatsMaxDeliveries, cancellationToken);
        return WebhookStats.Of(read, now, truncated);
    }

    /// <summary>The delivery with its attempts; null when it or its webhook does not exist (rows a fan-out wrote while the webhook was being deleted stay hidden).</summary>
    public async Task<DeliveryWithAttempts?> GetAsync(DeliveryKey key, CancellationToken cancellationToken) =>
        IsWellFormed(key) && await FindWebhookAsync(key.OrganizationId, key.WebhookId, cancellationToken) is not null
            ? await deliveries.GetWithAttemptsAsync(key, cancellationToken)
            : null;

    /// <summary>Starts a new run of the delivery (its schedule starts over); null when it or its webhook does not exist.</summary>
    public async Task<DeliveryRecord?> ResendAsync(DeliveryKey key, IDeliveryScheduler scheduler, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(key) || await FindWebhookAsync(key.OrganizationId, key.WebhookId, cancellationToken) is not { } webhook)
        {
            return null;
        }
        RequireEnabled(webhook);
        var delivery = await deliveries.GetAsync(key, cancellationToken);
        return delivery is null ? null : await ResendAsync(webhook, delivery, scheduler, cancellationToken);
    }

    /// <summary>Sends a <c>webhook.test</c> event to this webhook alone, whatever it subscribes to.</summary>
    public async Task<DeliveryRecord?> TestAsync(string organizationId, string webhookId, IDeliveryScheduler scheduler, CancellationToken cancellationToken)
    {
        if (await FindWebhookAsync(organizationId, webhookId, cancellationToken) is not { } webhook)
        {
            return null;
        }
        RequireEnabled(webhook);
        var now = clock.GetUtcNow();
        var ping = new WebhookEvent
        {
            Id = ResourceIds.NewEventId(),
            Type = SystemEventTypes.WebhookTest,
            OccurredAt = now,
            Organization = new EventOrganization(organizationId, null),
            Data = new JsonObject { ["webhookId"] = webhookId, ["webhookName"] = webhook.Name },
            Message = "A test delivery: the webhook is set up correctly if this arrives.",
        };
        var created = await deliveries.TryCreateAsync(DeliveryRecord.Pending(organizationId, webhookId, ping.Id, ping.Type, EventEnvelopeWriter.Write(ping), now), cancellationToken)
            ?? throw new InvalidOperationException("A new test event's delivery already exists.");
        await scheduler.StartAsync(new DeliveryStart(created, webhook, ping, IsNew: true, ProcessedBy: null), CancellationToken.None);
        LogTestSent(webhookId, organizationId, created.DeliveryId);
        return created;
    }

    /// <summary>Resends every failed or exhausted delivery created since <paramref name="since"/>, newest first, up to the per-request cap.</summary>
    public async Task<RecoverResult?> RecoverAsync(string organizationId, string webhookId, DateTimeOffset since, IDeliveryScheduler scheduler, CancellationToken cancellationToken)
    {
        if (await FindWebhookAsync(organizationId, webhookId, cancellationToken) is not { } webhook)
        {
            return null;
        }
        RequireEnabled(webhook);
        var resent = 0;
        await foreach (var listed in deliveries.ListSinceAsync(organizationId, webhookId, since, cancellationToken))
        {
            if (listed.Status is not (DeliveryStatus.Failed or DeliveryStatus.Exhausted))
            {
                continue;
            }
            if (resent == MaxRecoveredPerRequest)
            {
                return new RecoverResult(resent, Complete: false);
            }
            if (await deliveries.GetAsync(listed.Key, cancellationToken) is not { IsConcluded: true } delivery)
            {
                continue;
            }
            try
            {
                await ResendAsync(webhook, delivery, scheduler, cancellationToken);
                resent++;
            }
            catch (ConflictException)
            {
                // Resent or attempted by someone else meanwhile: it is under way, which is what recover wants.
            }
        }
        LogRecovered(webhookId, organizationId, resent, since);
        return new RecoverResult(resent, Complete: true);
    }

    private async Task<DeliveryRecord> ResendAsync(Webhook webhook, DeliveryRecord delivery, IDeliveryScheduler scheduler, CancellationToken cancellationToken)
    {
        if (delivery.IsHeldByAnother(clock.GetUtcNow()))
        {
            throw new ConflictException("Attempt in progress", $"An attempt of delivery {delivery.DeliveryId} is running; resend it once it has finished.");
        }
        // Once the new run is written it must be started, even if the caller goes away meanwhile: no token from here on.
        var resent = await deliveries.TryWriteAsync(DeliveryProgress.Resent(delivery, clock.GetUtcNow()), null, CancellationToken.None)
            ?? throw new ConflictException("Delivery changed", $"Delivery {delivery.DeliveryId} changed while it was being resent; try again.");
        // A run still waiting for its next step is superseded: its step finds the newer run and goes.
        await scheduler.StartAsync(new DeliveryStart(resent, webhook, null, IsNew: false, ProcessedBy: null), CancellationToken.None);
        LogResent(resent.DeliveryId, webhook.Id, resent.Run);
        return resent;
    }

    private async Task<Webhook?> FindWebhookAsync(string organizationId, string webhookId, CancellationToken cancellationToken) =>
        ResourceIds.IsWellFormedWebhookId(webhookId) ? await webhooks.GetAsync(organizationId, webhookId, cancellationToken) : null;

    private static bool IsWellFormed(DeliveryKey key) =>
        ResourceIds.IsWellFormedWebhookId(key.WebhookId) && ResourceIds.IsWellFormedDeliveryId(key.DeliveryId);

    private static void RequireEnabled(Webhook webhook)
    {
        if (!webhook.Enabled)
        {
            throw new ConflictException("Webhook disabled", $"Webhook {webhook.Id} is disabled: enable it (PATCH enabled=true) first.");
        }
    }

    [LoggerMessage(7001, LogLevel.Information, "Resent delivery {DeliveryId} of webhook {WebhookId} (run {Run})")]
    private partial void LogResent(string deliveryId, string webhookId, int run);

    [LoggerMessage(7002, LogLevel.Information, "Sent test delivery {DeliveryId} to webhook {WebhookId} of organization {OrganizationId}")]
    private partial void LogTestSent(string webhookId, string organizationId, string deliveryId);

    [LoggerMessage(7003, LogLevel.Information, "Recovered {Count} deliveries of webhook {WebhookId} of organization {OrganizationId} since {Since}")]
    private partial void LogRecovered(string webhookId, string organizationId, int count, DateTimeOffset since);
}

/// <summary>How many deliveries a recover resent, and whether that was all of them.</summary>
public sealed record RecoverResult(int Resent, bool Complete);
