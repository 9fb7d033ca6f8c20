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

    /// <summary>
    /// Enqueue to dequeue on a raw queue whose consumer polls without pausing, one message at a time,
    /// <paramref name="samples"/> times or, with <paramref name="until"/>, until it is cancelled.
    /// </summary>
    public static async Task<Percentiles> QueueRoundTripAsync(string connectionString, int samples, CancellationToken until = default)
    {
        var queue = new QueueClient(connectionString, "bench-roundtrip");
        await queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        var latencies = new List<double>(samples);
        for (var i = 0; until.CanBeCanceled ? !until.IsCancellationRequested : i < samples; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            // The token only stops the loop between samples: a sample in flight completes.
            await queue.SendMessageAsync(sent.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
            while (true)
            {
                var received = (await queue.ReceiveMessagesAsync(1, cancellationToken: CancellationToken.None)).Value;
                if (received.Length == 1)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    await queue.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt, CancellationToken.None);
                    break;
                }
            }
        }
        return Stats.Of(latencies);
    }

    /// <summary>
    /// The storage work between an event's arrival and a delivery's POST that the design cannot
    /// skip, each measured raw one at a time: a point read (the ledger) and a two-row batch insert
    /// (the pending delivery and its listing row). Their p50s added to the queue round trip's are
    /// the floor of enqueue-to-receipt latency.
    /// </summary>
    public static async Task<(Percentiles PointRead, Percentiles BatchInsert)> CriticalPathAsync(string connectionString, int samples)
    {
        var table = new TableClient(connectionString, "benchpath");
        await table.CreateIfNotExistsAsync();
        var reads = new List<double>(samples);
        var batches = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var partition = $"p{i}";
            var started = Stopwatch.GetTimestamp();
            await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "d|1") { ["Status"] = "Pending" }),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, "n|1") { ["Status"] = "Pending" }),
            ]);
            batches.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            await table.GetEntityIfExistsAsync<TableEntity>(partition, "missing");
            reads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return (Stats.Of(reads), Stats.Of(batches));
    }

    /// <summary>Point reads of a table, one at a time, until cancelled: how storage itself answers while the pipeline runs beside it.</summary>
    public static async Task<Percentiles> TableReadsAsync(string connectionString, CancellationToken until)
    {
        var table = new TableClient(connectionString, "benchpath");
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        var reads = new List<double>();
        while (!until.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            // The token only stops the loop between reads.
            await table.GetEntityIfExistsAsync<TableEntity>("probe", "missing", cancellationToken: CancellationToken.None);
            reads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Task.Delay(5, CancellationToken.None);
        }
        return Stats.Of(reads);
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
