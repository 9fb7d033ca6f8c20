using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Bench;

/// <summary>
/// The producer side: organizations with webhooks created through the management API, and events
/// put on the events queue as producers do (base64 envelope), each with the time it was sent, so
/// every delivery's enqueue-to-receipt latency can be taken.
/// </summary>
public sealed class EventSource(BenchHost host, QueueClient events)
{
    /// <summary>Creates an organization with one generic webhook per URL; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> CreateWebhooksAsync(string org, IReadOnlyList<Uri> urls)
    {
        var ids = new string[urls.Count];
        await Parallel.ForAsync(0, urls.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var response = await host.Api.PostAsJsonAsync($"/api/orgs/{org}/webhooks", new { name = $"bench {i}", url = urls[i].ToString() }, ct);
            response.EnsureSuccessStatusCode();
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        });
        return ids;
    }

    /// <summary>Publishes one event; returns when it was sent and the deliveries it should cause.</summary>
    public async Task<PublishedEvent> PublishAsync(string org, IReadOnlyList<string> webhooks, CancellationToken cancellationToken = default)
    {
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = eventId,
            type = "build_completed",
            occurredAt = DateTimeOffset.UtcNow,
            organization = new { id = org, name = "Bench" },
            project = "bench-app",
            data = new { projectName = "bench-app", platform = "ios", version = "1.0.0", buildNumber = 1 },
        });
        var sent = DateTimeOffset.UtcNow;
        await events.SendMessageAsync(QueueMessageText.Encode(envelope), cancellationToken);
        return new PublishedEvent(eventId, sent, DateTimeOffset.UtcNow, [.. webhooks.Select(w => ResourceIds.DeliveryId(org, eventId, w))]);
    }
}

/// <summary>An event as sent: when the send began and when the queue had taken it, and the deliveries it should cause, in the order of the webhooks given.</summary>
public sealed record PublishedEvent(string EventId, DateTimeOffset SentAt, DateTimeOffset EnqueuedAt, IReadOnlyList<string> Deliveries)
{
    /// <summary>Enqueue-to-receipt latency of each of its deliveries that arrived, in milliseconds.</summary>
    public IEnumerable<double> Latencies(BenchReceiver receiver) =>
        Deliveries.Select(receiver.FirstArrival).OfType<DateTimeOffset>().Select(at => (at - SentAt).TotalMilliseconds);
}
