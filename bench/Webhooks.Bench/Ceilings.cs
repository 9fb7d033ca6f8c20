using System.Collections.Concurrent;
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

    /// <summary>Enqueue to dequeue on a raw idle queue whose consumer polls without pausing, one message at a time, <paramref name="samples"/> times.</summary>
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
            await table.SubmitTransactionAsync(PendingRows(partition));
            batches.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            await table.GetEntityIfExistsAsync<TableEntity>(partition, "missing");
            reads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return (Stats.Of(reads), Stats.Of(batches));
    }

    /// <summary>
    /// An event's pending writes, raw: <paramref name="fanOut"/> two-row batches, one per partition,
    /// started together, <paramref name="samples"/> times; the time each took from the common start.
    /// Azure serves different partitions in parallel; single-threaded Azurite serves them one after another.
    /// </summary>
    public static async Task<Percentiles> FanOutWritesAsync(string connectionString, int fanOut, int samples)
    {
        var table = new TableClient(connectionString, "benchburst");
        await table.CreateIfNotExistsAsync();
        var times = new List<double>(samples * fanOut);
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            times.AddRange(await Task.WhenAll(Enumerable.Range(0, fanOut).Select(async w =>
            {
                await table.SubmitTransactionAsync(PendingRows($"s{i}w{w}"));
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            })));
        }
        return Stats.Of(times);
    }

    /// <summary>
    /// The raw queue round trip while the pipeline runs, sampled the way the pipeline's events are:
    /// a message sent every 1/<paramref name="perSecond"/> s whether or not earlier ones have arrived
    /// (open loop), taken by a consumer that polls without pausing, until cancelled. A probe that waits
    /// for each sample before sending the next takes one sample per storage stall however long it is,
    /// and so reports a tail shorter than any steady stream of events meets.
    /// </summary>
    public static async Task<Percentiles> QueueRoundTripOpenLoopAsync(string connectionString, double perSecond, CancellationToken until)
    {
        var queue = new QueueClient(connectionString, "bench-openloop");
        await queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        var waiting = new ConcurrentDictionary<string, TaskCompletionSource>();
        using var stopConsumer = new CancellationTokenSource();
        var consumer = Task.Run(async () =>
        {
            while (!stopConsumer.IsCancellationRequested)
            {
                foreach (var message in (await queue.ReceiveMessagesAsync(32, cancellationToken: CancellationToken.None)).Value)
                {
                    if (waiting.TryRemove(message.Body.ToString(), out var arrived))
                    {
                        arrived.TrySetResult();
                    }
                    _ = queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                }
            }
        }, CancellationToken.None);
        var latencies = await OpenLoopAsync(async () =>
        {
            var id = Guid.NewGuid().ToString("N");
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[id] = arrived;
            await queue.SendMessageAsync(id, CancellationToken.None);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }, perSecond, until);
        await stopConsumer.CancelAsync();
        await consumer;
        return latencies;
    }

    /// <summary>Table point reads while the pipeline runs, one started every 1/<paramref name="perSecond"/> s (open loop, as above), until cancelled.</summary>
    public static async Task<Percentiles> TableReadsOpenLoopAsync(string connectionString, double perSecond, CancellationToken until)
    {
        var table = new TableClient(connectionString, "benchpath");
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        return await OpenLoopAsync(() => table.GetEntityIfExistsAsync<TableEntity>("probe", "missing", cancellationToken: CancellationToken.None), perSecond, until);
    }

    /// <summary>Starts <paramref name="operation"/> every 1/<paramref name="perSecond"/> s until cancelled, without waiting for earlier ones; their durations in milliseconds.</summary>
    private static async Task<Percentiles> OpenLoopAsync(Func<Task> operation, double perSecond, CancellationToken until)
    {
        var running = new List<Task<double>>();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; !until.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, until);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            running.Add(Timed(operation));
        }
        return Stats.Of(await Task.WhenAll(running));

        static async Task<double> Timed(Func<Task> operation)
        {
            var started = Stopwatch.GetTimestamp();
            await operation();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    /// <summary>A pending delivery as the pipeline writes it: the delivery row and its listing row, in one partition.</summary>
    private static TableTransactionAction[] PendingRows(string partition) =>
    [
        new(TableTransactionActionType.Add, new TableEntity(partition, "d|1") { ["Status"] = "Pending" }),
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, "n|1") { ["Status"] = "Pending" }),
    ];

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
