using System.Diagnostics;

namespace Webhooks.Bench;

/// <summary>One benchmark run's world: Azurite, the host under test, the receiver and the producer, and the run's sizes.</summary>
public sealed class BenchRun(BenchSizes sizes, string connectionString, BenchHost host, BenchReceiver receiver, EventSource source, Func<TimeSpan> storageCpu)
{
    /// <summary>Azurite's processor time so far (one core at most: it is single-threaded).</summary>
    public TimeSpan StorageCpu => storageCpu();

    public BenchSizes Sizes { get; } = sizes;
    public string ConnectionString { get; } = connectionString;
    public BenchHost Host { get; } = host;
    public BenchReceiver Receiver { get; } = receiver;
    public EventSource Source { get; } = source;

    /// <summary>Publishes <paramref name="count"/> events to the webhooks as fast as <paramref name="senders"/> producers can.</summary>
    public async Task<IReadOnlyList<PublishedEvent>> PublishBurstAsync(string org, IReadOnlyList<string> webhooks, int count, int senders = 16)
    {
        var published = new PublishedEvent[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = senders }, async (i, ct) => published[i] = await Source.PublishAsync(org, webhooks, ct));
        return published;
    }

    /// <summary>
    /// Publishes <paramref name="count"/> events as fast as the pipeline delivers them: never more
    /// than <paramref name="window"/> events published and not yet fully delivered. That is sustained
    /// load; flooding the queue instead measures Azurite's slowness with a backlog, not the pipeline.
    /// </summary>
    public async Task<IReadOnlyList<PublishedEvent>> PublishSustainedAsync(string org, IReadOnlyList<string> webhooks, int count, int window)
    {
        var published = new PublishedEvent[count];
        var next = -1;
        var baseline = Receiver.Distinct;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                while ((long)i * webhooks.Count - (Receiver.Distinct - baseline) >= (long)window * webhooks.Count)
                {
                    await Task.Delay(1);
                }
                published[i] = await Source.PublishAsync(org, webhooks);
            }
        })));
        return published;
    }

    /// <summary>Publishes <paramref name="count"/> events at a steady <paramref name="perSecond"/>.</summary>
    public async Task<IReadOnlyList<PublishedEvent>> PublishAtRateAsync(string org, IReadOnlyList<string> webhooks, int count, double perSecond)
    {
        var published = new List<Task<PublishedEvent>>(count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
            published.Add(Source.PublishAsync(org, webhooks));
        }
        return await Task.WhenAll(published);
    }

    /// <summary>Waits until every delivery of <paramref name="events"/> has arrived; false on timeout.</summary>
    public async Task<bool> WaitForAllAsync(IEnumerable<PublishedEvent> events, TimeSpan timeout)
    {
        var ids = events.SelectMany(e => e.Deliveries).ToArray();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (Receiver.HasAll(ids))
            {
                return true;
            }
            await Task.Delay(20);
        }
        return false;
    }

    /// <summary>Lets the host finish what follows the last receipt (records, message deletes, the ledger) before counters are read.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(2));

    public static IReadOnlyList<Uri> Urls(BenchReceiver receiver, string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => receiver.UrlOf($"/ok/{prefix}{i}"))];
}

/// <summary>How big a run is: the full set, the quick run, or the smoke run the test suite makes to check the harness.</summary>
public sealed record BenchSizes(
    int ThroughputEvents,
    int MemoryEvents,
    int LatencyEvents,
    int WideFanOut,
    TimeSpan IsolationDuration,
    int CrashEvents,
    TimeSpan CeilingDuration,
    int RoundTripSamples,
    int DurableThroughputEvents,
    int DurableLatencyEvents,
    int WarmUpEvents)
{
    // The Durable path runs an order of magnitude slower on Azurite, so its runs are smaller to keep the set within minutes.
    public static BenchSizes Full { get; } = new(2_000, 10_000, 600, 1_000, TimeSpan.FromSeconds(15), 400, TimeSpan.FromSeconds(8), 200, 150, 40, 50);

    // The quick wide fan-out passes the default webhook quota (100), so the smoke run shows the harness still raises it.
    public static BenchSizes Quick { get; } = new(100, 200, 40, 120, TimeSpan.FromSeconds(3), 30, TimeSpan.FromSeconds(2), 20, 30, 10, 50);

    // Every scenario, just big enough to produce each figure: the test suite checks the harness with it, its figures mean little.
    // Its warm-ups are small too: 50 warm-up events are 500 deliveries per throughput run, over half a minute each on the Durable path.
    public static BenchSizes Smoke { get; } = new(50, 100, 20, 120, TimeSpan.FromSeconds(2), 15, TimeSpan.FromSeconds(1), 12, 15, 6, 3);
}
