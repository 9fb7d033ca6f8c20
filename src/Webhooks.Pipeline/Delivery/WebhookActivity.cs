using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Webhooks.Storage;

namespace Webhooks.Delivery;

/// <summary>
/// A webhook's last-triggered time, last status code and last success, gathered in memory and
/// written back every few seconds as one merge per webhook, instead of a table write per delivery.
/// </summary>
public sealed partial class WebhookActivity(WebhookStore webhooks, ILogger<WebhookActivity> logger)
{
    private readonly ConcurrentDictionary<(string Organization, string Webhook), Seen> pending = new();

    /// <summary>Notes an attempt; <paramref name="statusCode"/> is null when no response came.</summary>
    public void Record(string organizationId, string webhookId, DateTimeOffset at, int? statusCode, bool success)
    {
        var seen = new Seen(at, statusCode, success ? at : null);
        pending.AddOrUpdate((organizationId, webhookId), seen, (_, earlier) => earlier.Merge(seen));
    }

    /// <summary>Writes everything gathered so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var key in pending.Keys)
        {
            await FlushAsync(key.Organization, key.Webhook, cancellationToken);
        }
    }

    /// <summary>
    /// Writes what was gathered for one webhook (also before a decision that reads it back); the
    /// store writes only what is newer than the row, so two flushes never move the times backwards.
    /// </summary>
    public async Task FlushAsync(string organizationId, string webhookId, CancellationToken cancellationToken)
    {
        var key = (organizationId, webhookId);
        if (!pending.TryRemove(key, out var seen))
        {
            return;
        }
        try
        {
            if (!await webhooks.ApplyActivityAsync(organizationId, webhookId, seen.LastTriggeredAt, seen.LastStatusCode, seen.LastSuccessAt, cancellationToken))
            {
                // Changed under every try: keep it for the next flush.
                pending.AddOrUpdate(key, seen, (_, later) => seen.Merge(later));
            }
        }
        catch (Exception e)
        {
            // Keep what was seen for the next flush rather than lose it.
            pending.AddOrUpdate(key, seen, (_, later) => seen.Merge(later));
            LogFlushFailed(e, webhookId);
            throw;
        }
    }

    [LoggerMessage(3001, LogLevel.Warning, "Could not write the delivery activity of webhook {WebhookId}; it is kept for the next flush")]
    private partial void LogFlushFailed(Exception e, string webhookId);

    private sealed record Seen(DateTimeOffset LastTriggeredAt, int? LastStatusCode, DateTimeOffset? LastSuccessAt)
    {
        public Seen Merge(Seen other)
        {
            var latest = other.LastTriggeredAt >= LastTriggeredAt ? other : this;
            var success = LastSuccessAt > other.LastSuccessAt || other.LastSuccessAt is null ? LastSuccessAt : other.LastSuccessAt;
            return new Seen(latest.LastTriggeredAt, latest.LastStatusCode, success);
        }
    }
}
