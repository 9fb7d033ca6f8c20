using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Delivery;

/// <summary>
/// Writes what delivery outcomes decide about a webhook: turning it off (with the reason and time,
/// a metric, and a <c>webhook.disabled</c> event published into the pipeline so the product can tell
/// its customer) and the start of a failure streak. Each is a read-modify-write that retries when
/// the row changed under it.
/// </summary>
public sealed partial class WebhookDisabler(
    WebhookStore webhooks,
    EventPublisher publisher,
    DeliveryTelemetry telemetry,
    TimeProvider clock,
    ILogger<WebhookDisabler> logger)
{
    private const int MaxTries = 10;

    /// <summary>
    /// Disables the webhook unless it is off already; true when this call turned it off. Applied
    /// again for the same reason (a conclusion re-applied after a crash), it publishes the
    /// notification again: its id derives from the disable, so the pipeline drops a repeat, and a
    /// notification lost between the write and the publish is not lost for good.
    /// </summary>
    public async Task<bool> DisableAsync(string organizationId, string webhookId, string reasonCode, string reason, CancellationToken cancellationToken)
    {
        Webhook? alreadyOff = null;
        var disabled = await ChangeAsync(organizationId, webhookId, current =>
        {
            var now = clock.GetUtcNow();
            alreadyOff = current.Enabled ? null : current;
            return current.Enabled ? current with { Enabled = false, DisabledReason = reason, DisabledAt = now, UpdatedAt = now } : null;
        }, cancellationToken);
        if (disabled is null)
        {
            if (alreadyOff is { DisabledAt: not null } off && off.DisabledReason == reason)
            {
                await publisher.PublishAsync(DisabledEvent(off), cancellationToken);
            }
            return false;
        }
        telemetry.WebhookDisabled(reasonCode);
        LogDisabled(webhookId, organizationId, reason);
        await publisher.PublishAsync(DisabledEvent(disabled), cancellationToken);
        return true;
    }

    /// <summary>Records since when the webhook has been failing (nothing is written when that is already known).</summary>
    public Task MarkFailingAsync(string organizationId, string webhookId, DateTimeOffset since, CancellationToken cancellationToken) =>
        ChangeAsync(organizationId, webhookId, current => current.FailingSince == since ? null : current with { FailingSince = since }, cancellationToken);

    private async Task<Webhook?> ChangeAsync(string organizationId, string webhookId, Func<Webhook, Webhook?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await webhooks.GetAsync(organizationId, webhookId, cancellationToken);
            if (current is null || change(current) is not { } changed)
            {
                return null;
            }
            try
            {
                return await webhooks.ReplaceAsync(changed, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxTries)
            {
                // Activity merges and API changes move the ETag; re-read and apply the change again.
            }
        }
    }

    private static WebhookEvent DisabledEvent(Webhook webhook)
    {
        var at = webhook.DisabledAt ?? webhook.UpdatedAt;
        return new WebhookEvent
        {
            // Derived from the webhook and the moment, so publishing it again is deduplicated.
            Id = string.Create(CultureInfo.InvariantCulture, $"{webhook.Id}.disabled.{at.ToUnixTimeMilliseconds()}"),
            Type = SystemEventTypes.WebhookDisabled,
            OccurredAt = at,
            Organization = new EventOrganization(webhook.OrganizationId, null),
            Data = new JsonObject
            {
                ["webhookId"] = webhook.Id,
                ["webhookName"] = webhook.Name,
                ["url"] = webhook.DisplayUrl,
                ["reason"] = webhook.DisabledReason,
                ["disabledAt"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            },
            Message = $"Webhook \"{webhook.Name}\" was disabled: {webhook.DisabledReason}",
        };
    }

    [LoggerMessage(3101, LogLevel.Warning, "Disabled webhook {WebhookId} of organization {OrganizationId}: {Reason}")]
    private partial void LogDisabled(string webhookId, string organizationId, string reason);
}
