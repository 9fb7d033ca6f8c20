using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Webhooks.Bench;

/// <summary>
/// What bounds the pipeline, measured raw in the same run on the same Azurite and receiver, with
/// no pipeline logic: the minimal storage work of one delivery, a queue's round trip, and POSTs.
/// </summary>
public static class Ceilings
{
    /// <summary>
    /// Deliveries per second if each took only the storage work a queue-driven delivery cannot
    /// avoid (send a message, receive it, delete it, write one table row), done by
    /// <paramref name="concurrency"/> workers at once.
    /// </summary>
    public static async Task<double> StorageBoundDeliveriesPerSecondAsync(string connectionString, int concurrency, TimeSpan duration)
    {
        var queue = new QueueClient(connectionString, "bench-ceiling");
        await queue.CreateIfNotExistsAsync();
        var table = new TableClient(connectionString, "benchceiling");
        await table.CreateIfNotExistsAsync();
        long done = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; watch.Elapsed < duration; i++)
            {
                await queue.SendMessageAsync("{\"delivery\":1}");
                var received = (await queue.ReceiveMessagesAsync(1)).Value;
                foreach (var message in received)
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                await table.UpsertEntityAsync(new TableEntity("ceiling", $"{worker}-{i}") { ["Status"] = "Succeeded" });
                Interlocked.Increment(ref done);
            }
        })));
        return done / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Enqueue to dequeue on a raw queue whose consumer polls without pausing, one message at a time.</summary>
    public static async Task<Percentiles> QueueRoundTripAsync(string connectionString, int samples)
    {
        var queue = new QueueClient(connectionString, "bench-roundtrip");
        await queue.CreateIfNotExistsAsync();
        var latencies = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            await queue.SendMessageAsync(sent.ToString(CultureInfo.InvariantCulture));
            while (true)
            {
                var received = (await queue.ReceiveMessagesAsync(1)).Value;
                if (received.Length == 1)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    await queue.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);
                    break;
                }
            }
        }
        return Stats.Of(latencies);
    }

    /// <summary>POSTs per second to the receiver by <paramref name="concurrency"/> clients at once.</summary>
    public static async Task<double> HttpPostsPerSecondAsync(Uri url, int concurrency, TimeSpan duration)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = concurrency });
        var body = "{\"event\":\"build_completed\",\"data\":{\"platform\":\"ios\"}}"u8.ToArray();
        long done = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < duration)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(url, content);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref done);
            }
        })));
        return done / watch.Elapsed.TotalSeconds;
    }
}
