using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Webhooks.Bench;

/// <summary>The Durable path's figures: calibration, latency at half of it, sustained throughput and the raw storage bound measured just before it.</summary>
public sealed record DurableResult(ThroughputResult Calibration, LatencyResult Latency, ThroughputResult Throughput, double StorageBoundBefore);

/// <summary>Everything one run measured, and the table it prints.</summary>
public sealed record BenchReport(
    string Machine,
    string Mode,
    DateTimeOffset At,
    IReadOnlyDictionary<string, string> HostSettings,
    CeilingResult Ceilings,
    ThroughputResult Calibration,
    ThroughputResult Throughput,
    LatencyResult Latency,
    WideFanOutResult WideFanOut,
    IsolationResult Isolation,
    CrashResult Crash,
    DurableResult Durable)
{
    private static readonly double[] DuringRun = [0.1, 0.5, 0.9];

    /// <summary>Endpoint protection before and after, on the standalone host.</summary>
    public ProtectionResult? Protection { get; init; }

    /// <summary>Endpoint protection before and after, on the Durable path.</summary>
    public ProtectionResult? DurableProtection { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ToJson() => ToJson(this);

    public static string ToJson<T>(T figures) => JsonSerializer.Serialize(figures, Json);

    public static string DescribeMachine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    /// <summary>The figures beside what bounds them, as a Markdown table.</summary>
    public string ToMarkdown()
    {
        var t = Throughput;
        var opsByKind = string.Join(", ", t.StorageOperationsPerDeliveryByKind.Where(k => k.Value >= 0.005).Select(k => $"{k.Key} {F(k.Value, 2)}"));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine}. Mode: {Mode}. {At:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine();
        text.AppendLine("| figure | pipeline | bound (same run) | ratio | target |");
        text.AppendLine("|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| calibration against the storage bound, both on a fresh store | {F(Calibration.SteadyDeliveriesPerSecond, 0)} | {F(Ceilings.StorageBoundDeliveriesPerSecond, 0)}: raw send+receive+delete+write, {Ceilings.StorageConcurrency} workers | {P(Calibration.SteadyDeliveriesPerSecond / Ceilings.StorageBoundDeliveriesPerSecond)} | ≥ 70% |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| sustained deliveries/s, fan-out 10, {t.Deliveries:N0} deliveries | {F(t.SteadyDeliveriesPerSecond, 0)} (overall {F(t.DeliveriesPerSecond, 0)}) | {F(Ceilings.StorageBoundAfterThroughput, 0)}: the same raw work right after, on the store as full | {P(t.SteadyDeliveriesPerSecond / Ceilings.StorageBoundAfterThroughput)} | ≥ 70% |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| storage operations per first-try delivery | {F(t.StorageOperationsPerDelivery, 2)} ({opsByKind}) | 4: the raw minimum above | {F(t.StorageOperationsPerDelivery / 4, 2)} | ≤ 4 |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Azurite processor time per delivery (single-threaded: 1,000 ms of it a second at most) | {F(t.StorageCpuMillisecondsPerDelivery, 2)} ms | {F(1000 / t.StorageCpuMillisecondsPerDelivery, 0)} deliveries/s if Azurite's one core were the only bound | — | — |");
        text.Append(LatencyLines(Ceilings, Latency));
        text.AppendLine(CultureInfo.InvariantCulture, $"| one event to {WideFanOut.Webhooks:N0} webhooks | all in {F(WideFanOut.Seconds, 2)} s ({F(WideFanOut.DeliveriesPerSecond, 0)}/s; p50 {F(WideFanOut.Latency.P50, 0)} ms) | {F(Ceilings.StorageBoundDeliveriesPerSecond, 0)}/s storage-bound above; {F(Ceilings.HttpPostsPerSecond, 0)} POST/s raw HTTP | {P(WideFanOut.DeliveriesPerSecond / Ceilings.StorageBoundDeliveriesPerSecond)} of storage-bound | — |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| healthy p99 beside 1 endpoint that never answers ({Isolation.DeadEndpointAttempts} attempts to it) | {F(Isolation.HealthyWithDead.P99, 1)} ms (p50 {F(Isolation.HealthyWithDead.P50, 1)}) | {F(Isolation.HealthyWithoutDead.P99, 1)} ms for 20 endpoints without it, same window (p50 {F(Isolation.HealthyWithoutDead.P50, 1)}) | {F(Isolation.P99Ratio, 2)}x | ≤ 1.10x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| SIGKILL mid-run, restart | {Crash.Lost} lost, {Crash.Repeated} repeated of {Crash.Deliveries:N0} ({Crash.ArrivedBeforeKill:N0} arrived before the kill) | — | — | 0 lost |");
        text.AppendLine(MemoryLine(t));
        text.AppendLine();
        text.Append(DurableLines(Durable, t));
        if (Protection is { } standalone && DurableProtection is { } durable)
        {
            text.AppendLine();
            text.Append(ProtectionLines(standalone, durable));
        }
        return text.ToString();
    }

    /// <summary>Endpoint protection's rows: each scenario before (no protection) and after, on both paths.</summary>
    public static string ProtectionLines(ProtectionResult standalone, ProtectionResult durable)
    {
        var text = new StringBuilder();
        text.AppendLine("| endpoint protection | path | before (none) | after | target |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var (path, r) in new[] { ("standalone", standalone), ("Durable", durable) })
        {
            var (b, a) = (r.BurstBefore, r.BurstAfter);
            text.AppendLine(CultureInfo.InvariantCulture, $"| burst of {r.Sizes.BurstDeliveries:N0} to one endpoint limited to {r.Sizes.BurstLimit}/s: busiest 10 s (per s) / busiest second | {path} | {F(b.BusiestTenSecondsPerSecond, 1)} / {b.BusiestSecond} | {F(a.BusiestTenSecondsPerSecond, 1)} / {a.BusiestSecond} | ≤ {F(r.Sizes.BurstLimit * 1.1, 1)} over 10 s |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| burst: time to drain | {path} | {F(b.DrainSeconds, 1)} s | {F(a.DrainSeconds, 1)} s (ideal {F(r.Sizes.BurstDeliveries / (double)r.Sizes.BurstLimit, 0)} s) | — |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| burst: healthy endpoints' p99 beside it ÷ alone | {path} | {F(b.HealthyP99Ratio, 2)}x ({F(b.HealthyBeside.P99, 0)} ms) | {F(a.HealthyP99Ratio, 2)}x ({F(a.HealthyBeside.P99, 0)} ms) | ≤ 1.10x |");
            var (tb, ta) = (r.ThrottleBefore, r.ThrottleAfter);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Sizes.ThrottleDeliveries:N0} to an endpoint answering 429 (Retry-After: 2) for {F(r.Sizes.ThrottleFor.TotalSeconds, 0)} s: 429 answers, attempts per delivery, time to drain | {path} | {tb.Answers429:N0}, {F(tb.AttemptsPerDelivery, 2)}, {F(tb.DrainSeconds, 0)} s | {ta.Answers429:N0}, {F(ta.AttemptsPerDelivery, 2)}, {F(ta.DrainSeconds, 0)} s | fewer |");
            var (db, da) = (r.DownBefore, r.DownAfter);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Sizes.DownDeliveries:N0} queued to an endpoint down {F(r.Sizes.DownFor.TotalSeconds, 0)} s: failed attempts (all attempts), 99% delivered after recovery, not delivered | {path} | {db.FailedAttempts:N0} ({db.Attempts:N0}), {F(db.SecondsFromRecoveryTo99Percent, 0)} s, {db.NotDelivered} | {da.FailedAttempts:N0} ({da.Attempts:N0}), {F(da.SecondsFromRecoveryTo99Percent, 0)} s, {da.NotDelivered} | ≥ 10x fewer failed, 0 lost |");
        }
        return text.ToString();
    }

    /// <summary>
    /// The Durable path's rows (the Functions app on the Functions host stand-in, same Azurite, same run):
    /// throughput beside the standalone host's and the raw storage bound, storage requests per first-try
    /// delivery by kind (<c>hub.</c> the task hub's, <c>trigger.</c> the queue trigger's), and latency.
    /// </summary>
    public static string DurableLines(DurableResult durable, ThroughputResult? standaloneThroughput)
    {
        var t = durable.Throughput;
        var opsByKind = string.Join(", ", t.StorageOperationsPerDeliveryByKind.Where(k => k.Value >= 0.005).Select(k => $"{k.Key} {F(k.Value, 2)}"));
        var text = new StringBuilder();
        text.AppendLine("Durable path: the Functions app on the Functions host stand-in (Durable Task worker over gRPC to the Azure Storage provider), same Azurite.");
        text.AppendLine();
        text.AppendLine("| figure | Durable path | bound or standalone (same run) | ratio | target |");
        text.AppendLine("|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| calibration, fan-out 10, {durable.Calibration.Deliveries:N0} deliveries | {F(durable.Calibration.SteadyDeliveriesPerSecond, 0)} deliveries/s | — | — | — |");
        var standalone = standaloneThroughput is null ? "—" : $"standalone {F(standaloneThroughput.SteadyDeliveriesPerSecond, 0)}/s";
        var ratio = standaloneThroughput is null ? "—" : P(t.SteadyDeliveriesPerSecond / standaloneThroughput.SteadyDeliveriesPerSecond) + " of standalone";
        text.AppendLine(CultureInfo.InvariantCulture, $"| sustained deliveries/s, fan-out 10, {t.Deliveries:N0} deliveries | {F(t.SteadyDeliveriesPerSecond, 0)} (overall {F(t.DeliveriesPerSecond, 0)}) | {standalone}; raw storage bound just before {F(durable.StorageBoundBefore, 0)}/s | {ratio}; {P(t.SteadyDeliveriesPerSecond / durable.StorageBoundBefore)} of the bound | ≥ 50% of standalone |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| storage requests per first-try delivery | {F(t.StorageOperationsPerDelivery, 2)} ({opsByKind}) | — | — | ≤ 15 |");
        var standaloneCpu = standaloneThroughput is null ? "—" : $"standalone {F(standaloneThroughput.StorageCpuMillisecondsPerDelivery, 2)} ms";
        var cpuRatio = standaloneThroughput is null ? "—" : $"{F(t.StorageCpuMillisecondsPerDelivery / standaloneThroughput.StorageCpuMillisecondsPerDelivery, 1)}x standalone";
        text.AppendLine(CultureInfo.InvariantCulture, $"| Azurite processor time per delivery | {F(t.StorageCpuMillisecondsPerDelivery, 2)} ms ({F(1000 / t.StorageCpuMillisecondsPerDelivery, 0)} deliveries/s if Azurite's one core were the only bound) | {standaloneCpu} | {cpuRatio} | — |");
        var l = durable.Latency.Latency;
        var rt = durable.Latency.QueueRoundTripMeanwhile;
        text.AppendLine(CultureInfo.InvariantCulture, $"| enqueue-to-receipt p50 / p99 at half load ({F(durable.Latency.DeliveriesPerSecond, 0)} deliveries/s) | {F(l.P50, 1)} / {F(l.P99, 1)} ms | raw queue round trip meanwhile {F(rt.P50, 1)} / {F(rt.P99, 1)} ms | {F(l.P50 / rt.P50, 1)}x / {F(l.P99 / rt.P99, 1)}x | — |");
        var b = durable.Latency.Breakdown;
        text.AppendLine(CultureInfo.InvariantCulture, $"| where the time goes at half load, p50 / p99 of {b.Post.Count} sampled deliveries | producer's send {F(b.Send.P50, 1)} / {F(b.Send.P99, 1)} ms; queue to pending write (trigger poll, fan-out) {F(b.QueueToFanOut.P50, 1)} / {F(b.QueueToFanOut.P99, 1)} ms; pending write to attempt (instance start, control queue, orchestration episode, work-item queue) {F(b.PendingWrite.P50, 1)} / {F(b.PendingWrite.P99, 1)} ms; POST {F(b.Post.P50, 1)} / {F(b.Post.P99, 1)} ms | — | — | — |");
        return text.ToString();
    }

    /// <summary>The latency rows: percentiles against the raw round trip and the critical-path floor, and where the time goes.</summary>
    public static string LatencyLines(CeilingResult ceilings, LatencyResult latency)
    {
        var text = new StringBuilder();
        var l = latency.Latency;
        var rt = latency.QueueRoundTripMeanwhile;
        text.AppendLine(CultureInfo.InvariantCulture, $"| enqueue-to-receipt p50 at half load ({F(latency.DeliveriesPerSecond, 0)} deliveries/s) | {F(l.P50, 1)} ms | {F(rt.P50, 1)} ms: raw queue round trip meanwhile, sent at the events' rate ({F(ceilings.QueueRoundTrip.P50, 1)} idle); critical-path floor (round trip + point read + pending write, idle) {F(ceilings.CriticalPathP50, 1)} ms for one delivery, {F(ceilings.FanOutCriticalPathP50, 1)} ms at fan-out 10 | {F(l.P50 / rt.P50, 1)}x round trip, {F(l.P50 / ceilings.FanOutCriticalPathP50, 1)}x floor at fan-out 10 | ≤ 2x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| enqueue-to-receipt p95 / p99 at half load | {F(l.P95, 1)} / {F(l.P99, 1)} ms | {F(rt.P95, 1)} / {F(rt.P99, 1)} ms: raw queue round trip meanwhile, as above; table point reads meanwhile at the same rate p50 {F(latency.TableReadMeanwhile.P50, 1)}, p99 {F(latency.TableReadMeanwhile.P99, 1)} ms | p95 {F(l.P95 / rt.P95, 1)}x, p99 {F(l.P99 / rt.P99, 1)}x | p99 ≤ 3x |");
        var b = latency.Breakdown;
        text.AppendLine(CultureInfo.InvariantCulture, $"| where the time goes at half load, p50 / p99 of {b.Post.Count} sampled deliveries | producer's send {F(b.Send.P50, 1)} / {F(b.Send.P99, 1)} ms; queue to pending write (poll, receive, ledger read and webhook query) {F(b.QueueToFanOut.P50, 1)} / {F(b.QueueToFanOut.P99, 1)} ms; pending write {F(b.PendingWrite.P50, 1)} / {F(b.PendingWrite.P99, 1)} ms; POST {F(b.Post.P50, 1)} / {F(b.Post.P99, 1)} ms | pending write: {F(ceilings.BatchInsert.P50, 1)} ms for one 2-row batch alone, {F(ceilings.FanOutWrites.P50, 1)} / {F(ceilings.FanOutWrites.P99, 1)} ms for 10 at once to 10 partitions, idle | — | — |");
        return text.ToString();
    }

    /// <summary>
    /// The memory row: the host's managed heap (after a full collection), the GC's committed bytes and
    /// the working set before and after a run, and the working set and GC commit at a tenth, half and
    /// nine tenths of the run (sampled without a collection).
    /// </summary>
    public static string MemoryLine(ThroughputResult t)
    {
        var during = string.Join(", ", DuringRun.Select(share => (share, sample: t.SampleAt(share))).Where(s => s.sample is not null)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.share:P0} {Mb(s.sample!.Memory.WorkingSet)} / {Mb(s.sample.Memory.GcCommitted)} / {s.sample.Memory.JitCompiledMethods:N0}")));
        var (before, after) = (t.MemoryBefore, t.MemoryAfter);
        return string.Create(CultureInfo.InvariantCulture,
            $"| host memory over {t.Deliveries:N0} deliveries ({F(t.SteadyDeliveriesPerSecond, 0)}/s) | managed heap {Mb(before.ManagedHeap)} → {Mb(after.ManagedHeap)} MB; GC committed {Mb(before.GcCommitted)} → {Mb(after.GcCommitted)} MB; working set {Mb(before.WorkingSet)} → {Mb(after.WorkingSet)} MB (peak {Mb(after.PeakWorkingSet)}); outside the GC (working set − GC committed) {Mb(before.OutsideGc)} → {Mb(after.OutsideGc)} MB; JIT-compiled methods {before.JitCompiledMethods:N0} → {after.JitCompiledMethods:N0}; threads {before.Threads} → {after.Threads}; working set MB / GC committed MB / JIT-compiled methods during the run: {during} | — | heap {F((double)after.ManagedHeap / before.ManagedHeap, 2)}x, working set {F((double)after.WorkingSet / before.WorkingSet, 2)}x | flat within 10% |");
    }

    private static string F(double value, int decimals) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string P(double ratio) => ratio.ToString("P0", CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => F(bytes / (1024.0 * 1024), 1);
}
