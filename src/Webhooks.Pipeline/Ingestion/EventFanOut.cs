using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Events;
using Webhooks.Storage;
using Webhooks.Tracing;

namespace Webhooks.Ingestion;

/// <summary>
/// Fans an event out: every enabled webhook of its organization whose subscription and project
/// filter match gets one delivery, recorded as pending before the host's scheduler starts it.
/// Delivery ids derive from (event, webhook) and the ledger remembers finished events, so
/// processing an event again starts nothing twice.
/// </summary>
public sealed partial class EventFanOut(
    WebhookStore webhooks,
    DeliveryStore deliveries,
    EventLedger ledger,
    TimeProvider clock,
    IOptions<DeliveryOptions> options,
    AttemptHolds holds,
    DeliveryTelemetry telemetry,
    ILogger<EventFanOut> logger)
{
    /// <summary>
    /// Fans <paramref name="e"/> out. <paramref name="seenBefore"/> when its message was handled before
    /// (a retry): deliveries that earlier processing recorded for webhooks that match no longer
    /// (disabled or refiltered since) are started too, so none is left pending for ever.
    /// <paramref name="enqueuedAt"/>: when the event's message was queued, kept with its deliveries for the latency metrics.
    /// </summary>
    public async Task<FanOutResult> FanOutAsync(WebhookEvent e, IDeliveryScheduler scheduler, string? processedBy, bool seenBefore, CancellationToken cancellationToken, DateTimeOffset? enqueuedAt = null)
    {
        var organization = e.Organization.Id;
        using var fanning = PipelineTracing.FanningOut(e.Id, organization);
        // Both reads at once: a first-time event needs the webhooks anyway, and waiting for one before the other is latency.
        var seen = ledger.ContainsAsync(organization, e.Id, cancellationToken);
        var listed = webhooks.ListAllAsync(organization, cancellationToken);
        await Task.WhenAll(seen, listed);
        if (await seen)
        {
            LogDuplicate(e.Id, organization);
            return FanOutResult.Duplicate;
        }
        var all = await listed;
        var matches = all.Where(w => w.Matches(e.Type, e.Project)).ToArray();
        fanning?.SetTag(TraceTags.Webhooks, matches.Length);
        var targets = matches.Select(w => (Webhook: w, Create: true))
            .Concat(seenBefore ? all.Except(matches).Select(w => (Webhook: w, Create: false)) : [])
            .ToArray();
        // Stored with the fan-out's span as its parent: every attempt, in whichever process, joins this trace.
        var stored = EventEnvelopeWriter.Write(e with { TraceParent = PipelineTracing.TraceParentOf(fanning) ?? e.TraceParent });
        // New rows are held by this processing for their first attempt, so a concurrent duplicate leaves them alone and a resend meanwhile is refused.
        var hold = holds.New();
        var starts = new ConcurrentBag<StartResult>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.FanOutParallelism, CancellationToken = cancellationToken };
        try
        {
            await Parallel.ForEachAsync(targets, parallel, async (target, token) =>
            {
                var (webhook, create) = target;
                var now = clock.GetUtcNow();
                var pending = DeliveryRecord.Pending(organization, webhook.Id, e.Id, e.Type, stored, now, enqueuedAt).HeldBy(hold, now);
                var created = create ? await deliveries.TryCreateAsync(pending, token) : null;
                var delivery = created ?? await deliveries.GetAsync(pending.Key, token);
                if (delivery is not null)
                {
                    // Not the loop's token: one webhook's failure cancels the loop, and must not abort other webhooks' attempts mid-send.
                    starts.Add(await scheduler.StartAsync(new DeliveryStart(delivery, webhook, e, created is not null, processedBy, hold.Owner), cancellationToken));
                }
            });
        }
        finally
        {
            // Attempts already under way finish (and are recorded) before this processing ends, failed or not.
            await Task.WhenAll(starts.Select(s => s.Completion.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        // Only once every delivery is durably under way may the event count as done (and its message go).
        await Task.WhenAll(starts.Select(s => s.Completion));
        if (starts.Max(s => s.BusyUntil) is { } busyUntil)
        {
            LogDeferred(e.Id, organization, busyUntil);
            return FanOutResult.Deferred(busyUntil);
        }
        await ledger.RecordAsync(organization, e.Id, e.Type, matches.Length, clock.GetUtcNow(), cancellationToken);
        telemetry.EventFannedOut(matches.Length);
        LogFannedOut(e.Id, e.Type, organization, matches.Length);
        return FanOutResult.Completed(matches.Length);
    }

    [LoggerMessage(2001, LogLevel.Information, "Event {EventId} ({EventType}) of organization {OrganizationId} fanned out to {Deliveries} deliveries")]
    private partial void LogFannedOut(string eventId, string eventType, string organizationId, int deliveries);

    [LoggerMessage(2002, LogLevel.Information, "Event {EventId} of organization {OrganizationId} was fanned out before; nothing new is started")]
    private partial void LogDuplicate(string eventId, string organizationId);

    [LoggerMessage(2003, LogLevel.Information, "Event {EventId} of organization {OrganizationId} has deliveries another runner holds; it is retried after {Until}")]
    private partial void LogDeferred(string eventId, string organizationId, DateTimeOffset until);
}

/// <summary>What fanning an event out did.</summary>
public sealed record FanOutResult(FanOutStatus Status, int Deliveries, DateTimeOffset? RetryAt)
{
    public static FanOutResult Duplicate { get; } = new(FanOutStatus.Duplicate, 0, null);

    /// <summary>The event was refused and its message moved to the poison queue with the reason.</summary>
    public static FanOutResult Poisoned { get; } = new(FanOutStatus.Poisoned, 0, null);

    public static FanOutResult Completed(int deliveries) => new(FanOutStatus.Completed, deliveries, null);

    public static FanOutResult Deferred(DateTimeOffset retryAt) => new(FanOutStatus.Deferred, 0, retryAt);
}

/// <summary>Whether an event's fan-out finished, had been done before, or must be retried later.</summary>
public enum FanOutStatus
{
    Completed,
    Duplicate,
    Deferred,
    Poisoned,
}
