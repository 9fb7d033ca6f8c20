using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Protection;
using Webhooks.Sending;
using Webhooks.Storage;
using Webhooks.Tracing;

namespace Webhooks.Delivery;

/// <summary>
/// One attempt of a delivery, the one entry point of both drivers: load what the caller does not
/// hold, resolve the webhook's secrets, format, sign with this attempt's timestamp, POST, decide with
/// the order's policy, record the attempt with the delivery's new state in one write conditional on
/// the row read, and apply the conclusion. Secrets stay inside the attempt: records hold the masked
/// URL and headers whose signatures reveal nothing.
/// </summary>
public sealed partial class AttemptRunner(
    DeliveryRequests requests,
    WebhookSender sender,
    DeliveryStore deliveries,
    WebhookStore webhooks,
    WebhookActivity activity,
    DeliveryConclusions conclusions,
    DeliveryTelemetry telemetry,
    EndpointGate gate,
    TimeProvider clock,
    ILogger<AttemptRunner> logger)
{
    /// <summary>
    /// Runs the attempt <paramref name="order"/> names and returns what follows it, as recorded.
    /// With the delivery in hand (the caller's claim is current), a change by another runner meanwhile
    /// means this attempt is not recorded and the caller has nothing to do (<see cref="AttemptResult.Superseded"/>).
    /// Without it the call is safe to repeat (a Durable activity may run twice): an attempt the row
    /// already records is not sent again and its recorded result is returned, with its conclusion applied
    /// again; a run superseded by a resend, or a delivery deleted with its webhook, sends nothing.
    /// </summary>
    public async Task<AttemptResult> AttemptAsync(AttemptOrder order, CancellationToken cancellationToken)
    {
        if (order.InHand is { } inHand)
        {
            return await RunAsync(inHand.Delivery, order, inHand.Webhook, inHand.Event, cancellationToken) ?? AttemptResult.Superseded;
        }
        // Both reads at once: the webhook is needed unless the attempt is already recorded, which is rare.
        var reading = deliveries.GetAsync(order.Key, cancellationToken);
        var webhookReading = webhooks.GetAsync(order.Key.OrganizationId, order.Key.WebhookId, cancellationToken);
        await Task.WhenAll(reading, webhookReading);
        var delivery = await reading;
        if (await RecordedAsync(delivery, order, cancellationToken) is { } recorded)
        {
            return recorded;
        }
        if (await RunAsync(delivery!, order, await webhookReading, null, cancellationToken) is { } attempted)
        {
            return attempted;
        }
        // Another writer changed the row while this attempt ran: a resend, or a duplicate execution of
        // this call that recorded the attempt first. What the row says now is the answer.
        return await RecordedAsync(await deliveries.GetAsync(order.Key, cancellationToken), order, cancellationToken)
            ?? throw new ConcurrencyConflictException($"Delivery {order.Key.DeliveryId} changed while attempt {order.Attempt} ran, and the change recorded nothing of it.");
    }

    /// <summary>
    /// What the row already says about the order's attempt: the run is over, or the attempt is
    /// recorded and a later one is due; null when the attempt is still to be made.
    /// </summary>
    private async Task<AttemptResult?> RecordedAsync(DeliveryRecord? delivery, AttemptOrder order, CancellationToken cancellationToken)
    {
        if (await conclusions.SettledAsync(delivery, order.Run, cancellationToken) is { } settled)
        {
            return settled;
        }
        if (delivery!.RunAttempt < order.Attempt)
        {
            return null;
        }
        LogAlreadyRecorded(delivery.DeliveryId, order.Run, order.Attempt);
        return AttemptResult.Waiting(delivery.LastStatusCode, delivery.NextAttemptAt ?? clock.GetUtcNow(), delivery.RunAttempt + 1);
    }

    /// <summary>Send, decide, record attempt and state in one write conditional on <paramref name="delivery"/>'s ETag, apply the conclusion; null when another runner changed the row first.</summary>
    private async Task<AttemptResult?> RunAsync(DeliveryRecord delivery, AttemptOrder order, Webhook? webhook, WebhookEvent? e, CancellationToken cancellationToken)
    {
        var runAttempt = order.Attempt;
        // The span's parent is in the stored event; without a listener nothing reads it, and a held pass sends nothing that needs the event.
        if (PipelineTracing.Source.HasListeners() && delivery.Event is { } stored)
        {
            e ??= EventEnvelopeReader.ReadStored(stored);
        }
        using var delivering = PipelineTracing.Delivering(delivery.DeliveryId, delivery.WebhookId, delivery.OrganizationId, delivery.Run, runAttempt, e?.TraceParent);
        var admission = webhook is { Enabled: true } ? order.Admitted ?? await gate.AdmitAsync(webhook, delivery.DeliveryId, cancellationToken) : Admission.Send;
        if (admission.NotBefore is { } notBefore)
        {
            LogHeld(delivery.DeliveryId, delivery.WebhookId, runAttempt, notBefore);
            PipelineTracing.Waited(admission.Reason is { } reason ? ProtectionTelemetry.WireNameOf(reason) : "held", clock.GetUtcNow(), notBefore);
            delivering?.SetTag(TraceTags.Decision, "held");
            return AttemptResult.Held(notBefore, runAttempt);
        }
        var (attempt, outcome) = await SendAsync(delivery, webhook, e, runAttempt, admission.Probe, cancellationToken);
        var now = clock.GetUtcNow();
        var decision = DeliveryDecider.Next(order.Policy, delivery.DeliveryId, runAttempt, outcome, now);
        delivering?.SetTag(TraceTags.Decision, decision.GetType().Name.ToLowerInvariant());
        if (decision is DeliveryDecision.Wait wait)
        {
            PipelineTracing.Waited("retry", now, wait.Until);
        }
        var updated = DeliveryProgress.After(delivery, attempt, decision, now) with { ScheduledBy = order.ScheduledBy, LeaseOwner = null, LeaseUntil = null };
        var written = await deliveries.TryWriteAsync(updated, attempt, cancellationToken);
        if (written is null)
        {
            LogLostRace(delivery.DeliveryId, runAttempt);
            return null;
        }
        LogAttempted(delivery.DeliveryId, delivery.WebhookId, runAttempt, outcome.StatusCode, decision.GetType().Name);
        if (decision is DeliveryDecision.Succeeded && delivery.Run == 1 && webhook is not null)
        {
            var sinceEnqueued = now - (delivery.EnqueuedAt ?? delivery.CreatedAt);
            telemetry.Succeeded(sinceEnqueued, webhook.Type);
            delivering?.SetTag(TraceTags.TimeToSuccess, sinceEnqueued.TotalSeconds);
        }
        await conclusions.ApplyAsync(written, cancellationToken);
        return AttemptResult.Of(outcome.StatusCode, decision);
    }

    private async Task<(AttemptRecord? Attempt, AttemptOutcome Outcome)> SendAsync(DeliveryRecord delivery, Webhook? webhook, WebhookEvent? e, int runAttempt, bool probe, CancellationToken cancellationToken)
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
        SendResult result;
        var headers = request.Headers;
        using (var attempting = PipelineTracing.Attempting(request.Url, WireNames.Of(webhook.Type), probe))
        {
            if (webhook.TraceContext && PipelineTracing.TraceParentOf(attempting) is { } traceParent)
            {
                headers = [.. headers, new("traceparent", traceParent)];
            }
            result = await sender.SendAsync(request.Url, request.Body, headers, cancellationToken);
            PipelineTracing.Answered(attempting, result.Outcome);
        }
        gate.Observe(webhook, result.Outcome, probe);
        telemetry.Attempted(result.Outcome, result.Duration, webhook.Type);
        if (delivery.Run == 1 && runAttempt == 1)
        {
            var sinceEnqueued = attemptedAt - (delivery.EnqueuedAt ?? delivery.CreatedAt);
            telemetry.FirstAttempted(sinceEnqueued, webhook.Type);
            // The current span is the delivery pass again, the attempt's having ended.
            Activity.Current?.SetTag(TraceTags.TimeToFirstAttempt, sinceEnqueued.TotalSeconds);
        }
        activity.Record(webhook.OrganizationId, webhook.Id, attemptedAt, result.Outcome.StatusCode, result.Outcome.IsSuccess);
        // A generic webhook's URL is shown as it is; a chat webhook's is a secret the response may echo.
        string? Clean(string? text) => webhook.Url is null ? SecretUrlRedaction.Redact(text, request.Url) : text;
        return (attempt with
        {
            Duration = result.Duration,
            RequestHeaders = [.. sender.StandardHeaders, .. headers],
            RequestBody = Encoding.UTF8.GetString(request.Body),
            ResponseStatus = result.Outcome.StatusCode,
            ResponseHeaders = [.. result.ResponseHeaders.Select(h => new KeyValuePair<string, string>(h.Key, Clean(h.Value)!))],
            ResponseBody = Clean(result.ResponseBody),
            Error = Clean(result.Outcome.Error),
        }, result.Outcome with { Error = Clean(result.Outcome.Error) });
    }

    [LoggerMessage(4001, LogLevel.Debug, "Delivery {DeliveryId} to webhook {WebhookId}: attempt {Attempt} got {StatusCode}; decision {Decision}")]
    private partial void LogAttempted(string deliveryId, string webhookId, int attempt, int? statusCode, string decision);

    [LoggerMessage(4005, LogLevel.Debug, "Delivery {DeliveryId} to webhook {WebhookId}: attempt {Attempt} held back by the endpoint's protection until {NotBefore}")]
    private partial void LogHeld(string deliveryId, string webhookId, int attempt, DateTimeOffset notBefore);

    [LoggerMessage(4002, LogLevel.Information, "Delivery {DeliveryId} changed while attempt {Attempt} ran: another runner recorded it first")]
    private partial void LogLostRace(string deliveryId, int attempt);

    [LoggerMessage(4004, LogLevel.Information, "Delivery {DeliveryId}: attempt {Attempt} of run {Run} is already recorded; it is not sent again")]
    private partial void LogAlreadyRecorded(string deliveryId, int run, int attempt);

    [LoggerMessage(4003, LogLevel.Warning, "Delivery {DeliveryId}: the request to webhook {WebhookId} could not be prepared")]
    private partial void LogPreparationFailed(Exception e, string deliveryId, string webhookId);
}
