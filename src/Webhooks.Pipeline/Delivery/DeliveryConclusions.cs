using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Storage;
using Webhooks.Tracing;

namespace Webhooks.Delivery;

/// <summary>
/// What the end of a delivery means beyond its own record: 410 Gone disables the webhook at once;
/// an exhausted run, or one whose destination the guard refused, disables it when it has been
/// failing for the whole window, and otherwise records since when it has been failing. Applying a conclusion twice changes nothing more.
/// </summary>
public sealed partial class DeliveryConclusions(
    DeliveryStore deliveries,
    WebhookStore webhooks,
    WebhookActivity activity,
    WebhookDisabler disabler,
    DeliveryTelemetry telemetry,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryConclusions> logger)
{
    /// <summary>
    /// For a driver whose attempt call itself failed on the run's last attempt (the Durable
    /// orchestrator): records how run <paramref name="run"/> ended and applies the conclusion (history,
    /// auto-disable). Returns how the run ended as recorded (an earlier conclusion of this run wins, and
    /// is applied again), or null when a newer run or the delivery's deletion took over.
    /// </summary>
    public async Task<DeliveryEnd?> ConcludeRunAsync(DeliveryKey key, int run, DeliveryEnd end, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(key, cancellationToken);
        if (await SettledAsync(delivery, run, cancellationToken) is { } settled)
        {
            return settled.End;
        }
        var concluded = DeliveryProgress.After(delivery!, null, end.ToDecision(), clock.GetUtcNow());
        if (await deliveries.TryWriteAsync(concluded, null, cancellationToken) is { } written)
        {
            await ApplyAsync(written, cancellationToken);
            return end;
        }
        LogLostRace(key.DeliveryId, run);
        return (await SettledAsync(await deliveries.GetAsync(key, cancellationToken), run, cancellationToken)
            ?? throw new ConcurrencyConflictException($"Delivery {key.DeliveryId} changed while its run {run} was being concluded, and is still pending.")).End;
    }

    /// <summary>
    /// Whether run <paramref name="run"/> is over for its runner: superseded (a newer run, or the
    /// delivery deleted), or concluded, whose conclusion is then applied again in case the runner that
    /// recorded it stopped before it had; null while the run is pending.
    /// </summary>
    public async Task<AttemptResult?> SettledAsync(DeliveryRecord? delivery, int run, CancellationToken cancellationToken)
    {
        if (delivery is null || delivery.Run != run)
        {
            return AttemptResult.Superseded;
        }
        if (!delivery.IsConcluded)
        {
            return null;
        }
        await ApplyAgainAsync(delivery, cancellationToken);
        return AttemptResult.Ended(delivery.LastStatusCode, DeliveryProgress.EndOf(delivery));
    }

    /// <summary>Applies what <paramref name="delivery"/>'s conclusion, just recorded, means; nothing for a delivery still pending.</summary>
    public async Task ApplyAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        if (!delivery.IsConcluded)
        {
            return;
        }
        var status = DeliveryProgress.CodeOf(delivery.Status);
        using var concluding = PipelineTracing.Concluding(delivery.DeliveryId, status);
        telemetry.Concluded(status);
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

    [LoggerMessage(4005, LogLevel.Information, "Delivery {DeliveryId} changed while its run {Run} was being concluded: another runner recorded it first")]
    private partial void LogLostRace(string deliveryId, int run);
}
