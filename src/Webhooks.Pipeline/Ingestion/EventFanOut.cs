using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Storage;

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
    DeliveryLease lease,
    DeliveryTelemetry telemetry,
    ILogger<EventFanOut> logger)
{
    public async Task<FanOutResult> FanOutAsync(WebhookEvent e, IDeliveryScheduler scheduler, string? processedBy, CancellationToken cancellationToken)
    {
        var organization = e.Organization.Id;
        if (await ledger.ContainsAsync(organization, e.Id, cancellationToken))
        {
            LogDuplicate(e.Id, organization);
            return FanOutResult.Duplicate;
        }
        var matches = (await webhooks.ListAllAsync(organization, cancellationToken)).Where(w => w.Matches(e.Type, e.Project)).ToArray();
        var stored = EventEnvelopeWriter.Write(e);
        var starts = new ConcurrentBag<StartResult>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.FanOutParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(matches, parallel, async (webhook, token) =>
        {
            var now = clock.GetUtcNow();
            // The new row is claimed by this processing, so a concurrent duplicate leaves it alone.
            var pending = DeliveryRecord.Pending(organization, webhook.Id, e.Id, e.Type, stored, now) with { LeaseOwner = processedBy, LeaseUntil = now + lease.Duration };
            var created = await deliveries.TryCreateAsync(pending, token);
            var delivery = created ?? await deliveries.GetAsync(pending.Key, token);
            if (delivery is null)
            {
                return;
            }
            starts.Add(await scheduler.StartAsync(new DeliveryStart(delivery, webhook, e, created is not null, processedBy), token));
        });
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

    public static FanOutResult Completed(int deliveries) => new(FanOutStatus.Completed, deliveries, null);

    public static FanOutResult Deferred(DateTimeOffset retryAt) => new(FanOutStatus.Deferred, 0, retryAt);
}

/// <summary>Whether an event's fan-out finished, had been done before, or must be retried later.</summary>
public enum FanOutStatus
{
    Completed,
    Duplicate,
    Deferred,
}
