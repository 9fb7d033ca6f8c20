using Microsoft.Extensions.Options;
using Webhooks.Storage;

namespace Webhooks.Delivery;

/// <summary>
/// What the end of a delivery means beyond its own record: 410 Gone disables the webhook at once;
/// an exhausted run, or one whose destination the guard refused, disables it when it has been
/// failing for the whole window, and otherwise records since when it has been failing. Applying a conclusion twice changes nothing more.
/// </summary>
public sealed class DeliveryConclusions(
    WebhookStore webhooks,
    WebhookActivity activity,
    WebhookDisabler disabler,
    DeliveryTelemetry telemetry,
    IOptions<DeliveryOptions> options,
    TimeProvider clock)
{
    /// <summary>Applies what <paramref name="delivery"/>'s conclusion, just recorded, means; nothing for a delivery still pending.</summary>
    public async Task ApplyAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        if (!delivery.IsConcluded)
        {
            return;
        }
        telemetry.Concluded(DeliveryProgress.CodeOf(delivery.Status));
        await ApplyToWebhookAsync(delivery, cancellationToken);
    }

    /// <summary>
    /// Applies again a conclusion recorded (and counted) earlier, whose effects on the webhook may
    /// not all have been applied: the runner that recorded it failed before it finished.
    /// </summary>
    public Task ApplyAgainAsync(DeliveryRecord delivery, CancellationToken cancellationToken) =>
        delivery.IsConcluded ? ApplyToWebhookAsync(delivery, cancellationToken) : Task.CompletedTask;

    private async Task ApplyToWebhookAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        var (organization, webhookId) = (delivery.OrganizationId, delivery.WebhookId);
        if (delivery.FailureReason == DeliveryProgress.CodeOf(FailureReason.Gone))
        {
            await disabler.DisableAsync(organization, webhookId, DeliveryProgress.CodeOf(FailureReason.Gone), WebhookHealth.GoneReason, cancellationToken);
            return;
        }
        // A run the SSRF guard refused ended early but failed all the same: it counts toward the window like an exhausted one.
        if (delivery.Status != DeliveryStatus.Exhausted && delivery.FailureReason != DeliveryProgress.CodeOf(FailureReason.DestinationNotAllowed))
        {
            return;
        }
        // The rule reads the last success, which may still be in this process's unflushed activity.
        await activity.FlushAsync(organization, webhookId, cancellationToken);
        if (await webhooks.GetAsync(organization, webhookId, cancellationToken) is not { Enabled: true } webhook)
        {
            return;
        }
        var verdict = WebhookHealth.OnExhausted(webhook, delivery.RunStartedAt, clock.GetUtcNow(), options.Value.AutoDisableAfter);
        if (verdict.DisableReason is { } reason)
        {
            await disabler.DisableAsync(organization, webhookId, "failing", reason, cancellationToken);
        }
        else
        {
            await disabler.MarkFailingAsync(organization, webhookId, verdict.FailingSince, cancellationToken);
        }
    }
}
