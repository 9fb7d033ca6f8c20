namespace Webhooks.Bench;

/// <summary>The benchmark's scenarios. Each returns its figures; none asserts them.</summary>
public static class Scenarios
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Scenarios 1 and 6: as many events as producers can send, fanned out to 10 webhooks each.
    /// Sustained deliveries per second, storage operations per (first-try) delivery by kind, and the
    /// host's memory before and after (managed heap after a full collection, working set).
    /// </summary>
    public static async Task<ThroughputResult> ThroughputAsync(BenchRun run)
    {
        var webhooks = await run.Source.CreateWebhooksAsync("throughput", BenchRun.Urls(run.Receiver, "t", 10));
        // Warm-up: JIT, connection pools, table and queue creation, out of the measurement.
        await run.WaitForAllAsync(await run.PublishBurstAsync("throughput", webhooks, 50), Patience);
        await BenchRun.SettleAsync();
        var before = await run.Host.DiagnosticsAsync(collectGarbage: true);
        await run.Host.ResetCountersAsync();

        var events = await run.PublishBurstAsync("throughput", webhooks, run.Sizes.ThroughputEvents);
        var complete = await run.WaitForAllAsync(events, Patience);
        await BenchRun.SettleAsync();
        var after = await run.Host.DiagnosticsAsync(collectGarbage: true);

        var arrivals = events.SelectMany(e => e.Deliveries).Select(run.Receiver.FirstArrival).OfType<DateTimeOffset>().Order().ToArray();
        var deliveries = arrivals.Length;
        var first = events.Min(e => e.SentAt);
        var overall = deliveries / (arrivals[^1] - first).TotalSeconds;
        // The middle 80% of arrivals, without the ramp up and the tail.
        var (p10, p90) = (arrivals[deliveries / 10], arrivals[deliveries * 9 / 10]);
        var steady = (deliveries * 0.8) / (p90 - p10).TotalSeconds;
        return new ThroughputResult(
            deliveries,
            overall,
            steady,
            (double)after.Total / deliveries,
            after.Operations.OrderBy(o => o.Key, StringComparer.Ordinal).ToDictionary(o => o.Key, o => Math.Round((double)o.Value / deliveries, 3)),
            before.ManagedHeap,
            after.ManagedHeap,
            before.WorkingSet,
            after.WorkingSet,
            after.PeakWorkingSet,
            complete);
    }

    /// <summary>Scenario 2: latency, enqueue to receipt, at half the sustained rate.</summary>
    public static async Task<LatencyResult> LatencyAtHalfLoadAsync(BenchRun run, double sustainedDeliveriesPerSecond)
    {
        var webhooks = await run.Source.CreateWebhooksAsync("latency", BenchRun.Urls(run.Receiver, "l", 10));
        await run.WaitForAllAsync(await run.PublishBurstAsync("latency", webhooks, 10), Patience);
        var eventsPerSecond = sustainedDeliveriesPerSecond / 2 / webhooks.Count;
        var events = await run.PublishAtRateAsync("latency", webhooks, run.Sizes.LatencyEvents, eventsPerSecond);
        var complete = await run.WaitForAllAsync(events, Patience);
        return new LatencyResult(eventsPerSecond * webhooks.Count, Stats.Of([.. events.SelectMany(e => e.Latencies(run.Receiver))]), complete);
    }

    /// <summary>Scenario 3: one event to many webhooks.</summary>
    public static async Task<WideFanOutResult> WideFanOutAsync(BenchRun run)
    {
        var webhooks = await run.Source.CreateWebhooksAsync("wide", BenchRun.Urls(run.Receiver, "w", run.Sizes.WideFanOut));
        var published = await run.Source.PublishAsync("wide", webhooks);
        var complete = await run.WaitForAllAsync([published], Patience);
        var last = published.Deliveries.Select(run.Receiver.FirstArrival).OfType<DateTimeOffset>().Max();
        var seconds = (last - published.SentAt).TotalSeconds;
        return new WideFanOutResult(webhooks.Count, seconds, webhooks.Count / seconds, Stats.Of([.. published.Latencies(run.Receiver)]), complete);
    }

    /// <summary>Scenario 4: 20 healthy endpoints, then the same with one more that never answers; the healthy ones' latency both times.</summary>
    public static async Task<IsolationResult> IsolationAsync(BenchRun run, double sustainedDeliveriesPerSecond)
    {
        var eventsPerSecond = sustainedDeliveriesPerSecond / 2 / 20;
        var count = (int)Math.Max(5, eventsPerSecond * run.Sizes.IsolationDuration.TotalSeconds);

        var alone = await run.Source.CreateWebhooksAsync("isolation-a", BenchRun.Urls(run.Receiver, "ia", 20));
        var withoutDead = await run.PublishAtRateAsync("isolation-a", alone, count, eventsPerSecond);
        var completeWithout = await run.WaitForAllAsync(withoutDead, Patience);

        var healthy = await run.Source.CreateWebhooksAsync("isolation-b", BenchRun.Urls(run.Receiver, "ib", 20));
        var dead = await run.Source.CreateWebhooksAsync("isolation-b", [run.Receiver.UrlOf("/dead")]);
        var requestsBefore = run.Receiver.Requests;
        var withDead = await run.PublishAtRateAsync("isolation-b", [.. healthy, .. dead], count, eventsPerSecond);
        // Only the healthy deliveries are waited for and measured: the dead endpoint's never arrive.
        var healthyOnly = withDead.Select(e => e with { Deliveries = [.. e.Deliveries.Take(healthy.Count)] }).ToArray();
        var completeWith = await run.WaitForAllAsync(healthyOnly, Patience);

        var without = Stats.Of([.. withoutDead.SelectMany(e => e.Latencies(run.Receiver))]);
        var with = Stats.Of([.. healthyOnly.SelectMany(e => e.Latencies(run.Receiver))]);
        var deadAttempts = run.Receiver.Requests - requestsBefore - (healthy.Count * count);
        return new IsolationResult(without, with, with.P99 / without.P99, deadAttempts, completeWithout && completeWith);
    }

    /// <summary>Scenario 5: the host killed with SIGKILL mid-run and started again; deliveries lost (must be 0) and repeated.</summary>
    public static async Task<CrashResult> CrashAsync(BenchRun run)
    {
        var webhooks = await run.Source.CreateWebhooksAsync("crash", BenchRun.Urls(run.Receiver, "c", 10));
        var events = await run.PublishBurstAsync("crash", webhooks, run.Sizes.CrashEvents);
        var ids = events.SelectMany(e => e.Deliveries).ToArray();
        while (run.Receiver.CountOf(ids) < ids.Length / 3)
        {
            await Task.Delay(5);
        }
        var beforeKill = run.Receiver.CountOf(ids);
        await run.Host.KillAndRestartAsync();
        await run.WaitForAllAsync(events, Patience);
        return new CrashResult(ids.Length, beforeKill, ids.Length - run.Receiver.CountOf(ids), run.Receiver.Repeated(ids));
    }
}

public sealed record ThroughputResult(
    int Deliveries,
    double DeliveriesPerSecond,
    double SteadyDeliveriesPerSecond,
    double StorageOperationsPerDelivery,
    IReadOnlyDictionary<string, double> StorageOperationsPerDeliveryByKind,
    long ManagedHeapBefore,
    long ManagedHeapAfter,
    long WorkingSetBefore,
    long WorkingSetAfter,
    long PeakWorkingSet,
    bool Complete);

public sealed record LatencyResult(double DeliveriesPerSecond, Percentiles Latency, bool Complete);

public sealed record WideFanOutResult(int Webhooks, double Seconds, double DeliveriesPerSecond, Percentiles Latency, bool Complete);

public sealed record IsolationResult(Percentiles HealthyWithoutDead, Percentiles HealthyWithDead, double P99Ratio, long DeadEndpointAttempts, bool Complete);

public sealed record CrashResult(int Deliveries, int ArrivedBeforeKill, int Lost, int Repeated);

public sealed record CeilingResult(double StorageBoundDeliveriesPerSecond, int StorageConcurrency, Percentiles QueueRoundTrip, double HttpPostsPerSecond, int HttpConcurrency);
