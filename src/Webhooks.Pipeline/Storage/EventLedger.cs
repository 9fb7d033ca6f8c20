using System.Buffers.Text;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace Webhooks.Storage;

/// <summary>
/// The events already fanned out, one row per (organization, event id). An event finds its row
/// only once every delivery it caused is recorded and started, so a repeat (a producer's retry, a
/// message seen twice) starts nothing new while a crashed fan-out is still finished on its retry.
/// </summary>
public sealed class EventLedger(TableProvider tables)
{
    public async Task<bool> ContainsAsync(string organizationId, string eventId, CancellationToken cancellationToken)
    {
        var table = await tables.EventsAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(organizationId, KeyOf(eventId), ["RowKey"], cancellationToken);
        return row.HasValue;
    }

    /// <summary>Marks the event as fanned out; recording it twice is not an error.</summary>
    public async Task RecordAsync(string organizationId, string eventId, string eventType, int deliveries, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await tables.EventsAsync(cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(organizationId, KeyOf(eventId))
            {
                ["EventId"] = eventId,
                ["EventType"] = eventType,
                ["Deliveries"] = deliveries,
                ["FannedOutAt"] = at,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another processing of the same event got there first: the outcome is the same.
        }
    }

    /// <summary>Event ids are the producer's and may hold characters row keys refuse ('/', '#', '?'): the key is their URL-safe base64.</summary>
    private static string KeyOf(string eventId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(eventId));
}
