using System.Net.Http.Json;
using System.Text.Json;

namespace Webhooks.Bench;

/// <summary>The benchmark's scenarios. Each returns its figures; none asserts them.</summary>
public static class Scenarios
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Scenario 1 (and 6, with <paramref name="events"/> = 10,000): events fanned out to 10 webhooks
    /// each, published as fast as they are delivered. Sustained deliveries per second, storage
    /// operations per (first-try) delivery by kind, and the host's memory before and after
    /// (managed heap after a full collection, working set).
    /// </summary>
    public static async Task<ThroughputResult> ThroughputAsync(BenchRun run, string org, int events)
    {
        var webhooks = await run.Source.CreateWebhooksAsync(org, BenchRun.Urls(run.Receiver, org, 10));
        // Warm-up: JIT, connection pools, table and queue creation, out of the measurement.
        await run.WaitForAllAsync(await run.PublishBurstAsync(org, webhooks, run.Sizes.WarmUpEvents), Patience);
        await BenchRun.SettleAsync();
        var before = await run.Host.DiagnosticsAsync(collectGarbage: true);
        await run.Host.ResetCountersAsync();
        var storageCpuBefore = run.StorageCpu;

        using var sampling = new CancellationTokenSource();
        var samples = SampleMemoryAsync(run, sampling.Token);
        var published = await run.PublishSustainedAsync(org, webhooks, events, window: 32);
        var complete = await run.WaitForAllAsync(published, Patience);
        var storageCpu = run.StorageCpu - storageCpuBefore;
        await BenchRun.SettleAsync();
        await sampling.CancelAsync();
        var after = await run.Host.DiagnosticsAsync(collectGarbage: true);

        var arrivals = published.SelectMany(e => e.Deliveries).Select(run.Receiver.FirstArrival).OfType<DateTimeOffset>().Order().ToArray();
        var deliveries = arrivals.Length;
        var first = published.Min(e => e.SentAt);
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
            storageCpu.TotalMilliseconds / deliveries,
            before.Memory,
            after.Memory,
            await samples,
            complete);
    }

    /// <summary>
    /// The host's memory every few seconds while a run goes on (no forced collection, so the run is
    /// not disturbed): a leak climbs through the run, a heap sizing itself to the load levels off.
    /// </summary>
    private static async Task<IReadOnlyList<MemorySample>> SampleMemoryAsync(BenchRun run, CancellationToken until)
    {
        var samples = new List<MemorySample>();
        var baseline = run.Receiver.Distinct;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!until.IsCancellationRequested)
        {
            var d = await run.Host.DiagnosticsAsync();
            samples.Add(new MemorySample(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, run.Receiver.Distinct - baseline, d.Memory));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), until);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return samples;
    }

    /// <summary>
    /// Scenario 2: latency, enqueue to receipt, at half the sustained rate; beside it, the raw queue
    /// round trip and table point reads at the events' rate, at the same time on the same Azurite,
    /// which meet the same stalls.
    /// </summary>
    public static async Task<LatencyResult> LatencyAtHalfLoadAsync(BenchRun run, string org, double sustainedDeliveriesPerSecond, int events)
    {
        var webhooks = await run.Source.CreateWebhooksAsync(org, BenchRun.Urls(run.Receiver, org, 10));
        await run.WaitForAllAsync(await run.PublishBurstAsync(org, webhooks, 10), Patience);
        var eventsPerSecond = sustainedDeliveriesPerSecond / 2 / webhooks.Count;
        using var probing = new CancellationTokenSource();
        var roundTrips = Ceilings.QueueRoundTripOpenLoopAsync(run.ConnectionString, eventsPerSecond, probing.Token);
        var tableReads = Ceilings.TableReadsOpenLoopAsync(run.ConnectionString, eventsPerSecond, probing.Token);
        var published = await run.PublishAtRateAsync(org, webhooks, events, eventsPerSecond);
        var complete = await run.WaitForAllAsync(published, Patience);
        await probing.CancelAsync();
        var breakdown = await BreakDownAsync(run, org, webhooks, published);
        return new LatencyResult(eventsPerSecond * webhooks.Count, Stats.Of([.. published.SelectMany(e => e.Latencies(run.Receiver))]), await roundTrips, await tableReads, breakdown, complete);
    }

    /// <summary>
    /// Where deliveries' time went, from what the host records anyway (a delivery's creation time is
    /// taken just before its pending row is written; an attempt's time just before its request is
    /// built) for an even sample of the deliveries: the producer's send; from the queue having the
    /// event to the pending row's write (polling, receive, the ledger read and webhook query); the
    /// pending write; and the POST until the receiver had it. Host and harness share the machine's clock.
    /// </summary>
    private static async Task<LatencyBreakdown> BreakDownAsync(BenchRun run, string org, IReadOnlyList<string> webhooks, IReadOnlyList<PublishedEvent> events)
    {
        var all = events.SelectMany(e => e.Deliveries.Select((d, i) => (Event: e, Webhook: webhooks[i], Delivery: d))).ToArray();
        var sample = Enumerable.Range(0, Math.Min(300, all.Length)).Select(i => all[i * all.Length / Math.Min(300, all.Length)]).ToArray();
        var (produce, toFanOut, pending, post) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        foreach (var (e, webhook, delivery) in sample)
        {
            var details = await run.Host.Api.GetFromJsonAsync<JsonElement>($"/api/orgs/{org}/webhooks/{webhook}/deliveries/{delivery}");
            var created = details.GetProperty("createdAt").GetDateTimeOffset();
            var attempted = details.GetProperty("attempts")[0].GetProperty("attemptedAt").GetDateTimeOffset();
            if (run.Receiver.FirstArrival(delivery) is not { } arrived)
            {
                continue;
            }
            produce.Add((e.EnqueuedAt - e.SentAt).TotalMilliseconds);
            toFanOut.Add((created - e.EnqueuedAt).TotalMilliseconds);
            pending.Add((attempted - created).TotalMilliseconds);
            post.Add((arrived - attempted).TotalMilliseconds);
        }
        return new LatencyBreakdown(Stats.Of(produce), Stats.Of(toFanOut), Stats.Of(pending), Stats.Of(post));
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

    /// <summary>
    /// Scenario 4: two organizations side by side, in the same window so they meet the same storage
    /// stalls: one with 20 healthy endpoints, one with 20 healthy endpoints and one that never
    /// answers; the healthy endpoints' latency in each.
    /// </summary>
    public static async Task<IsolationResult> IsolationAsync(BenchRun run, double sustainedDeliveriesPerSecond)
    {
        // Half the sustained rate in all, shared by the two organizations.
        var eventsPerSecond = sustainedDeliveriesPerSecond / 2 / 2 / 20;
        var count = (int)Math.Max(5, eventsPerSecond * run.Sizes.IsolationDuration.TotalSeconds);
        var alone = await run.Source.CreateWebhooksAsync("isolation-a", BenchRun.Urls(run.Receiver, "ia", 20));
        var healthy = await run.Source.CreateWebhooksAsync("isolation-b", BenchRun.Urls(run.Receiver, "ib", 20));
        var dead = await run.Source.CreateWebhooksAsync("isolation-b", [run.Receiver.UrlOf("/dead")]);
        var deadBefore = run.Receiver.DeadRequests;

        var publishing = await Task.WhenAll(
            run.PublishAtRateAsync("isolation-a", alone, count, eventsPerSecond),
            run.PublishAtRateAsync("isolation-b", [.. healthy, .. dead], count, eventsPerSecond));
        var withoutDead = publishing[0];
        // Only the healthy deliveries are waited for and measured: the dead endpoint's never arrive.
        var healthyOnly = publishing[1].Select(e => e with { Deliveries = [.. e.Deliveries.Take(healthy.Count)] }).ToArray();
        var complete = await run.WaitForAllAsync([.. withoutDead, .. healthyOnly], Patience);

        var without = Stats.Of([.. withoutDead.SelectMany(e => e.Latencies(run.Receiver))]);
        var with = Stats.Of([.. healthyOnly.SelectMany(e => e.Latencies(run.Receiver))]);
        return new IsolationResult(without, with, with.P99 / without.P99, run.Receiver.DeadRequests - deadBefore, complete);
    }

    /// <summary>
    /// Scenario 5: producers keep publishing while the host is killed with SIGKILL a third of the
    /// way through and started again; deliveries lost (must be 0) and repeated.
    /// </summary>
    public static async Task<CrashResult> CrashAsync(BenchRun run)
    {
        var webhooks = await run.Source.CreateWebhooksAsync("crash", BenchRun.Urls(run.Receiver, "c", 10));
        var baseline = run.Receiver.Distinct;
        var total = run.Sizes.CrashEvents * webhooks.Count;
        var publishing = run.PublishSustainedAsync("crash", webhooks, run.Sizes.CrashEvents, window: 32);
        while (run.Receiver.Distinct - baseline < total / 3)
        {
            await Task.Delay(1);
        }
        var beforeKill = run.Receiver.Distinct - baseline;
        await run.Host.KillAndRestartAsync();
        var events = await publishing;
        await run.WaitForAllAsync(events, Patience);
        var ids = events.SelectMany(e => e.Deliveries).ToArray();
        return new CrashResult(ids.Length, beforeKill, ids.Length - run.Receiver.CountOf(ids), run.Receiver.Repeated(ids));
    }
}

public sealed record ThroughputResult(
    int Deliveries,
    double DeliveriesPerSecond,
    double SteadyDeliveriesPerSecond,
    double StorageOperationsPerDelivery,
    IReadOnlyDictionary<string, double> StorageOperationsPerDeliveryByKind,
    double StorageCpuMillisecondsPerDelivery,
    HostMemory MemoryBefore,
    HostMemory MemoryAfter,
    IReadOnlyList<MemorySample> MemoryDuringRun,
    bool Complete)
{
    /// <summary>The sample taken nearest to <paramref name="share"/> of the run's deliveries.</summary>
    public MemorySample? SampleAt(double share) =>
        MemoryDuringRun.Count == 0 ? null : MemoryDuringRun.MinBy(m => Math.Abs(m.Delivered - (share * Deliveries)));
}

/// <summary>The host's memory at one moment of a run: seconds in, deliveries received so far.</summary>
public sealed record MemorySample(double Seconds, int Delivered, HostMemory Memory);

public sealed record LatencyResult(double DeliveriesPerSecond, Percentiles Latency, Percentiles QueueRoundTripMeanwhile, Percentiles TableReadMeanwhile, LatencyBreakdown Breakdown, bool Complete);

/// <summary>
/// A sample of deliveries' enqueue-to-receipt time in four legs: the producer's send; from the
/// queue having the event to the host writing the pending row (polling, receive, the ledger read
/// and webhook query); the pending write (behind the event's other deliveries' writes); and the POST.
/// </summary>
public sealed record LatencyBreakdown(Percentiles Send, Percentiles QueueToFanOut, Percentiles PendingWrite, Percentiles Post);

public sealed record WideFanOutResult(int Webhooks, double Seconds, double DeliveriesPerSecond, Percentiles Latency, bool Complete);

public sealed record IsolationResult(Percentiles HealthyWithoutDead, Percentiles HealthyWithDead, double P99Ratio, long DeadEndpointAttempts, bool Complete);

public sealed record CrashResult(int Deliveries, int ArrivedBeforeKill, int Lost, int Repeated);

public sealed record CeilingResult(
    double StorageBoundDeliveriesPerSecond,
    int StorageConcurrency,
    Percentiles QueueRoundTrip,
    Percentiles PointRead,
    Percentiles BatchInsert,
    Percentiles FanOutWrites,
    double HttpPostsPerSecond,
    int HttpConcurrency)
{
    /// <summary>The storage-bound rate measured again after the throughput run, on the store as full as that run left it.</summary>
    public double StorageBoundAfterThroughput { get; init; }

    /// <summary>The floor of enqueue-to-receipt p50: queue round trip, the ledger read and the pending batch, one after the other.</summary>
    public double CriticalPathP50 => QueueRoundTrip.P50 + PointRead.P50 + BatchInsert.P50;

    /// <summary>The same floor for a delivery of an event fanned out to 10: its pending write waits on Azurite behind the event's others.</summary>
    public double FanOutCriticalPathP50 => QueueRoundTrip.P50 + PointRead.P50 + FanOutWrites.P50;
}
