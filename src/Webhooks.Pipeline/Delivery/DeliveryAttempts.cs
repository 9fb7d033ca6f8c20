using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Ingestion;
using Webhooks.Model;
using Webhooks.Sending;
using Webhooks.Storage;

namespace Webhooks.Delivery;

/// <summary>
/// One attempt of a delivery: load nothing the caller already has, resolve the webhook's secrets,
/// format, sign with this attempt's timestamp, POST, decide, and record the attempt with the
/// delivery's new state. Secrets stay inside the attempt: records hold the masked URL and headers
/// whose signatures reveal nothing.
/// </summary>
public sealed partial class DeliveryAttempts(
    DeliveryRequests requests,
    WebhookSender sender,
    DeliveryStore deliveries,
    WebhookStore webhooks,
    WebhookActivity activity,
    DeliveryConclusions conclusions,
    DeliveryTelemetry telemetry,
    IOptions<RetryPolicy> policy,
    TimeProvider clock,
    ILogger<DeliveryAttempts> logger)
{
    /// <summary>
    /// Runs the next attempt of a delivery the caller has claimed (its <see cref="DeliveryRecord.ETag"/>
    /// is current), decides what follows, records both in one write conditional on that ETag, and
    /// applies the conclusion. Returns the decision, or null when another runner changed the
    /// delivery first (this attempt is then not recorded).
    /// </summary>
    public async Task<DeliveryDecision?> RunNextAsync(DeliveryRecord delivery, Webhook? webhook, WebhookEvent? e, string? scheduledBy, CancellationToken cancellationToken)
    {
        var runAttempt = delivery.RunAttempt + 1;
        var (attempt, outcome) = await SendAsync(delivery, webhook, e, runAttempt, cancellationToken);
        var now = clock.GetUtcNow();
        var decision = DeliveryDecisions.Next(policy.Value, delivery.DeliveryId, runAttempt, outcome, now);
        var updated = DeliveryProgress.After(delivery, attempt, decision, now) with { ScheduledBy = scheduledBy, LeaseOwner = null, LeaseUntil = null };
        var written = await deliveries.TryWriteAsync(updated, attempt, cancellationToken);
        if (written is null)
        {
            LogLostRace(delivery.DeliveryId, runAttempt);
            return null;
        }
        LogAttempted(delivery.DeliveryId, delivery.WebhookId, runAttempt, outcome.StatusCode, decision.GetType().Name);
        await conclusions.ApplyAsync(written, cancellationToken);
        return decision;
    }

    /// <summary>
    /// For an orchestrator, which decides itself: runs attempt <paramref name="runAttempt"/> of run
    /// <paramref name="run"/> and records it without a decision. A run superseded by a resend, or a
    /// delivery deleted with its webhook, sends nothing.
    /// </summary>
    public async Task<AttemptOutcome> AttemptAsync(DeliveryKey key, int run, int runAttempt, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(key, cancellationToken);
        if (delivery is null || delivery.Run != run || delivery.IsConcluded)
        {
            return AttemptOutcome.Unavailable(delivery is null ? "The delivery no longer exists." : "The run was superseded.");
        }
        var webhook = await webhooks.GetAsync(key.OrganizationId, key.WebhookId, cancellationToken);
        var (attempt, outcome) = await SendAsync(delivery, webhook, null, runAttempt, cancellationToken);
        // Conditional on the row read: a resend since then starts a newer run, which this old run must not overwrite.
        if (attempt is not null && await deliveries.TryWriteAsync(DeliveryProgress.After(delivery, attempt, null, clock.GetUtcNow()), attempt, cancellationToken) is null)
        {
            LogLostRace(delivery.DeliveryId, runAttempt);
        }
        return outcome;
    }

    /// <summary>For an orchestrator: records how run <paramref name="run"/> ended and applies the conclusion (history, auto-disable).</summary>
    public async Task ConcludeAsync(DeliveryKey key, int run, DeliveryEnd end, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(key, cancellationToken);
        if (delivery is null || delivery.Run != run || delivery.IsConcluded)
        {
            return;
        }
        var concluded = DeliveryProgress.After(delivery, null, end.ToDecision(), clock.GetUtcNow());
        var written = await deliveries.TryWriteAsync(concluded, null, cancellationToken);
        if (written is null)
        {
            // A resend started a new run meanwhile; that run concludes for itself.
            LogLostRace(delivery.DeliveryId, delivery.RunAttempt);
            return;
        }
        await conclusions.ApplyAsync(written, cancellationToken);
    }

    private async Task<(AttemptRecord? Attempt, AttemptOutcome Outcome)> SendAsync(DeliveryRecord delivery, Webhook? webhook, WebhookEvent? e, int runAttempt, CancellationToken cancellationToken)
    {
        if (webhook is not { Enabled: true })
        {
            return (null, AttemptOutcome.Unavailable(webhook is null ? "The webhook was deleted." : "The webhook is disabled."));
        }
        e ??= EventEnvelopeReader.ReadStored(delivery.Event ?? throw new InvalidOperationException($"Delivery {delivery.DeliveryId} has no stored event."));
        var attemptedAt = clock.GetUtcNow();
        var attempt = new AttemptRecord
        {
            Number = delivery.AttemptCount + 1,
            Run = delivery.Run,
            RunAttempt = runAttempt,
            AttemptedAt = attemptedAt,
            Duration = TimeSpan.Zero,
            Url = webhook.DisplayUrl,
            RequestHeaders = sender.StandardHeaders,
            RequestBody = "",
        };
        DeliveryRequest request;
        try
        {
            request = await requests.BuildAsync(webhook, delivery.DeliveryId, e, attemptedAt, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A secret store outage or a missing secret fails this attempt, to be retried on schedule like any other failure.
            LogPreparationFailed(ex, delivery.DeliveryId, webhook.Id);
            var failure = AttemptOutcome.NoResponse("The request could not be prepared: the webhook's secrets could not be read.");
            return (attempt with { Error = failure.Error }, failure);
        }
        var result = await sender.SendAsync(request.Url, request.Body, request.Headers, cancellationToken);
        telemetry.Attempted(result.Outcome, result.Duration);
        activity.Record(webhook.OrganizationId, webhook.Id, attemptedAt, result.Outcome.StatusCode, result.Outcome.IsSuccess);
        // A generic webhook's URL is shown as it is; a chat webhook's is a secret the response may echo.
        string? Clean(string? text) => webhook.Url is null ? SecretUrlRedaction.Redact(text, request.Url) : text;
        return (attempt with
        {
            Duration = result.Duration,
            RequestHeaders = [.. sender.StandardHeaders, .. request.Headers],
            RequestBody = Encoding.UTF8.GetString(request.Body),
            ResponseStatus = result.Outcome.StatusCode,
            ResponseHeaders = [.. result.ResponseHeaders.Select(h => new KeyValuePair<string, string>(h.Key, Clean(h.Value)!))],
            ResponseBody = Clean(result.ResponseBody),
            Error = Clean(result.Outcome.Error),
        }, result.Outcome with { Error = Clean(result.Outcome.Error) });
    }

    [LoggerMessage(4001, LogLevel.Debug, "Delivery {DeliveryId} to webhook {WebhookId}: attempt {Attempt} got {StatusCode}; decision {Decision}")]
    private partial void LogAttempted(string deliveryId, string webhookId, int attempt, int? statusCode, string decision);

    [LoggerMessage(4002, LogLevel.Information, "Delivery {DeliveryId} changed while attempt {Attempt} ran: another runner recorded it first")]
    private partial void LogLostRace(string deliveryId, int attempt);

    [LoggerMessage(4003, LogLevel.Warning, "Delivery {DeliveryId}: the request to webhook {WebhookId} could not be prepared")]
    private partial void LogPreparationFailed(Exception e, string deliveryId, string webhookId);
}
