using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Webhooks.Bench;

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
    CrashResult Crash)
{
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
        var l = Latency.Latency;
        var rt = Latency.QueueRoundTripMeanwhile;
        text.AppendLine(CultureInfo.InvariantCulture, $"| enqueue-to-receipt p50 at half load ({F(Latency.DeliveriesPerSecond, 0)} deliveries/s) | {F(l.P50, 1)} ms | {F(rt.P50, 1)} ms: raw queue round trip meanwhile ({F(Ceilings.QueueRoundTrip.P50, 1)} idle); {F(Ceilings.CriticalPathP50, 1)} ms critical-path floor (round trip + point read + 2-row batch, idle) | {F(l.P50 / rt.P50, 1)}x round trip, {F(l.P50 / Ceilings.CriticalPathP50, 1)}x floor | ≤ 2x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| enqueue-to-receipt p95 / p99 at half load | {F(l.P95, 1)} / {F(l.P99, 1)} ms | {F(rt.P95, 1)} / {F(rt.P99, 1)} ms: raw queue round trip meanwhile; table point read meanwhile p50 {F(Latency.TableReadMeanwhile.P50, 1)}, p99 {F(Latency.TableReadMeanwhile.P99, 1)} ms | p99 {F(l.P99 / rt.P99, 1)}x | p99 ≤ 3x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| one event to {WideFanOut.Webhooks:N0} webhooks | all in {F(WideFanOut.Seconds, 2)} s ({F(WideFanOut.DeliveriesPerSecond, 0)}/s; p50 {F(WideFanOut.Latency.P50, 0)} ms) | {F(Ceilings.StorageBoundDeliveriesPerSecond, 0)}/s storage-bound above; {F(Ceilings.HttpPostsPerSecond, 0)} POST/s raw HTTP | {P(WideFanOut.DeliveriesPerSecond / Ceilings.StorageBoundDeliveriesPerSecond)} of storage-bound | — |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| healthy p99 beside 1 endpoint that never answers ({Isolation.DeadEndpointAttempts} attempts to it) | {F(Isolation.HealthyWithDead.P99, 1)} ms (p50 {F(Isolation.HealthyWithDead.P50, 1)}) | {F(Isolation.HealthyWithoutDead.P99, 1)} ms for 20 endpoints without it, same window (p50 {F(Isolation.HealthyWithoutDead.P50, 1)}) | {F(Isolation.P99Ratio, 2)}x | ≤ 1.10x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| SIGKILL mid-run, restart | {Crash.Lost} lost, {Crash.Repeated} repeated of {Crash.Deliveries:N0} ({Crash.ArrivedBeforeKill:N0} arrived before the kill) | — | — | 0 lost |");
        text.AppendLine(MemoryLine(t));
        return text.ToString();
    }

    /// <summary>The memory row: the host's managed heap (after a full collection) and working set before and after a run.</summary>
    public static string MemoryLine(ThroughputResult t) => string.Create(CultureInfo.InvariantCulture,
        $"| host memory over {t.Deliveries:N0} deliveries ({F(t.SteadyDeliveriesPerSecond, 0)}/s) | managed heap {Mb(t.ManagedHeapBefore)} → {Mb(t.ManagedHeapAfter)} MB; GC committed {Mb(t.GcCommittedBefore)} → {Mb(t.GcCommittedAfter)} MB; working set {Mb(t.WorkingSetBefore)} → {Mb(t.WorkingSetAfter)} MB (peak {Mb(t.PeakWorkingSet)}) | — | heap {F((double)t.ManagedHeapAfter / t.ManagedHeapBefore, 2)}x, working set {F((double)t.WorkingSetAfter / t.WorkingSetBefore, 2)}x | flat within 10% |");

    private static string F(double value, int decimals) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string P(double ratio) => ratio.ToString("P0", CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => F(bytes / (1024.0 * 1024), 1);
}
