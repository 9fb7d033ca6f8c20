using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.DurableDriver;
using Webhooks.Events;
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
    public async Task<DeliveryDecision?> RunNextAsync(DeliveryRecord delivery, Webhook? webhook, WebhookEvent? e, string? scheduledBy, CancellationToken cancellationToken) =>
        (await RunAsync(delivery, delivery.RunAttempt + 1, webhook, e, policy.Value, scheduledBy, cancellationToken))?.Decision;

    /// <summary>
    /// For an orchestrator (the Durable path): attempt <see cref="AttemptRequest.Attempt"/> of the
    /// ticket's run, exactly as <see cref="RunNextAsync"/> runs one (send, decide with the run's own
    /// policy, record attempt and new state in one conditional write, apply the conclusion), so a
    /// run that ends on an attempt needs no other activity. Safe to retry: an attempt already
    /// recorded (the row is at this run and at or past this attempt, or concluded in this run) is
    /// not sent again; its recorded result is returned and its conclusion applied again. A run
    /// superseded by a resend, or a delivery deleted with its webhook, sends nothing.
    /// </summary>
    public async Task<AttemptResult> AttemptAsync(AttemptRequest request, CancellationToken cancellationToken)
    {
        var (ticket, runAttempt) = (request.Ticket, request.Attempt);
        var delivery = await deliveries.GetAsync(ticket.Key, cancellationToken);
        if (await RecordedAsync(delivery, ticket.Run, runAttempt, cancellationToken) is { } recorded)
        {
            return recorded;
        }
        var webhook = await webhooks.GetAsync(ticket.OrganizationId, ticket.WebhookId, cancellationToken);
        if (await RunAsync(delivery!, runAttempt, webhook, null, ticket.Policy.ToPolicy(), null, cancellationToken) is { } attempted)
        {
            return AttemptResult.Of(attempted.StatusCode, attempted.Decision);
        }
        // Another writer changed the row while this attempt ran: a resend, or a duplicate execution of
        // this activity that recorded the attempt first. What the row says now is the answer.
        return await RecordedAsync(await deliveries.GetAsync(ticket.Key, cancellationToken), ticket.Run, runAttempt, cancellationToken)
            ?? throw new ConcurrencyConflictException($"Delivery {ticket.DeliveryId} changed while attempt {runAttempt} ran, and the change recorded nothing of it.");
    }

    /// <summary>
    /// For an orchestrator whose attempt activity itself failed on the run's last attempt: records how
    /// the run ended and applies the conclusion (history, auto-disable). Returns how the run ended as
    /// recorded (an earlier conclusion of this run wins, and is applied again), or null when a newer
    /// run or the delivery's deletion took over.
    /// </summary>
    public async Task<DeliveryEnd?> ConcludeAsync(ConclusionRequest request, CancellationToken cancellationToken)
    {
        var ticket = request.Ticket;
        var delivery = await deliveries.GetAsync(ticket.Key, cancellationToken);
        if (await SettledAsync(delivery, ticket.Run, cancellationToken) is { } settled)
        {
            return settled.End;
        }
        var concluded = DeliveryProgress.After(delivery!, null, request.End.ToDecision(), clock.GetUtcNow());
        if (await deliveries.TryWriteAsync(concluded, null, cancellationToken) is { } written)
        {
            await conclusions.ApplyAsync(written, cancellationToken);
            return request.End;
        }
        LogLostRace(delivery!.DeliveryId, delivery.RunAttempt);
        return (await SettledAsync(await deliveries.GetAsync(ticket.Key, cancellationToken), ticket.Run, cancellationToken)
            ?? throw new ConcurrencyConflictException($"Delivery {ticket.DeliveryId} changed while its run {ticket.Run} was being concluded, and is still pending.")).End;
    }

    /// <summary>
    /// What the row already says about attempt <paramref name="runAttempt"/> of run <paramref name="run"/>:
    /// the run is over, or the attempt is recorded and a later one is due; null when the attempt is still to be made.
    /// </summary>
    private async Task<AttemptResult?> RecordedAsync(DeliveryRecord? delivery, int run, int runAttempt, CancellationToken cancellationToken)
    {
        if (await SettledAsync(delivery, run, cancellationToken) is { } settled)
        {
            return settled;
        }
        if (delivery!.RunAttempt < runAttempt)
        {
            return null;
        }
        LogAlreadyRecorded(delivery.DeliveryId, run, runAttempt);
        return AttemptResult.Waiting(delivery.LastStatusCode, delivery.NextAttemptAt ?? clock.GetUtcNow(), delivery.RunAttempt + 1);
    }

    /// <summary>
    /// Whether run <paramref name="run"/> is over for its runner: superseded (a newer run, or the
    /// delivery deleted), or concluded, whose conclusion is then applied again in case the runner that
    /// recorded it stopped before it had; null while the run is pending.
    /// </summary>
    private async Task<AttemptResult?> SettledAsync(DeliveryRecord? delivery, int run, CancellationToken cancellationToken)
    {
        if (delivery is null || delivery.Run != run)
        {
            return AttemptResult.Superseded;
        }
        if (!delivery.IsConcluded)
        {
            return null;
        }
        await conclusions.ApplyAgainAsync(delivery, cancellationToken);
        return AttemptResult.Ended(delivery.LastStatusCode, DeliveryProgress.EndOf(delivery));
    }

    /// <summary>The one attempt path of both drivers: send, decide, record attempt and state in one conditional write, apply the conclusion.</summary>
    private async Task<Attempted?> RunAsync(DeliveryRecord delivery, int runAttempt, Webhook? webhook, WebhookEvent? e, RetryPolicy retry, string? scheduledBy, CancellationToken cancellationToken)
    {
        var (attempt, outcome) = await SendAsync(delivery, webhook, e, runAttempt, cancellationToken);
        var now = clock.GetUtcNow();
        var decision = DeliveryDecisions.Next(retry, delivery.DeliveryId, runAttempt, outcome, now);
        var updated = DeliveryProgress.After(delivery, attempt, decision, now) with { ScheduledBy = scheduledBy, LeaseOwner = null, LeaseUntil = null };
        var written = await deliveries.TryWriteAsync(updated, attempt, cancellationToken);
        if (written is null)
        {
            LogLostRace(delivery.DeliveryId, runAttempt);
            return null;
        }
        LogAttempted(delivery.DeliveryId, delivery.WebhookId, runAttempt, outcome.StatusCode, decision.GetType().Name);
        await conclusions.ApplyAsync(written, cancellationToken);
        return new Attempted(outcome.StatusCode, decision);
    }

    private sealed record Attempted(int? StatusCode, DeliveryDecision Decision);

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

    [LoggerMessage(4004, LogLevel.Information, "Delivery {DeliveryId}: attempt {Attempt} of run {Run} is already recorded; it is not sent again")]
    private partial void LogAlreadyRecorded(string deliveryId, int run, int attempt);

    [LoggerMessage(4003, LogLevel.Warning, "Delivery {DeliveryId}: the request to webhook {WebhookId} could not be prepared")]
    private partial void LogPreparationFailed(Exception e, string deliveryId, string webhookId);
}
