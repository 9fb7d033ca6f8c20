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
    ThroughputResult Throughput,
    LatencyResult Latency,
    WideFanOutResult WideFanOut,
    IsolationResult Isolation,
    CrashResult Crash)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

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
        var heapRatio = (double)t.ManagedHeapAfter / t.ManagedHeapBefore;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine}. Mode: {Mode}. {At:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine();
        text.AppendLine("| figure | pipeline | bound (same run) | ratio | target |");
        text.AppendLine("|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| sustained deliveries/s, fan-out 10, {t.Deliveries:N0} deliveries | {F(t.SteadyDeliveriesPerSecond, 0)} (overall {F(t.DeliveriesPerSecond, 0)}) | {F(Ceilings.StorageBoundDeliveriesPerSecond, 0)}: raw send+receive+delete+write, {Ceilings.StorageConcurrency} workers | {P(t.SteadyDeliveriesPerSecond / Ceilings.StorageBoundDeliveriesPerSecond)} | ≥ 70% |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| storage operations per first-try delivery | {F(t.StorageOperationsPerDelivery, 2)} ({opsByKind}) | 4: the raw minimum above | {F(t.StorageOperationsPerDelivery / 4, 2)} | ≤ 4 |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| enqueue-to-receipt p50 at half load ({F(Latency.DeliveriesPerSecond, 0)} deliveries/s) | {F(Latency.Latency.P50, 1)} ms | {F(Ceilings.QueueRoundTrip.P50, 1)} ms: raw queue round trip p50 | {F(Latency.Latency.P50 / Ceilings.QueueRoundTrip.P50, 1)}x | ≤ 2x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| enqueue-to-receipt p95 / p99 at half load | {F(Latency.Latency.P95, 1)} / {F(Latency.Latency.P99, 1)} ms | {F(Ceilings.QueueRoundTrip.P95, 1)} / {F(Ceilings.QueueRoundTrip.P99, 1)} ms | p99 {F(Latency.Latency.P99 / Ceilings.QueueRoundTrip.P99, 1)}x | p99 ≤ 3x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| one event to {WideFanOut.Webhooks:N0} webhooks | all in {F(WideFanOut.Seconds, 2)} s ({F(WideFanOut.DeliveriesPerSecond, 0)}/s; p50 {F(WideFanOut.Latency.P50, 0)} ms) | {F(Ceilings.HttpPostsPerSecond, 0)} POST/s raw, {Ceilings.HttpConcurrency} clients | {P(WideFanOut.DeliveriesPerSecond / Ceilings.HttpPostsPerSecond)} | — |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| healthy p99, 20 endpoints + 1 that never answers | {F(Isolation.HealthyWithDead.P99, 1)} ms (p50 {F(Isolation.HealthyWithDead.P50, 1)}) | {F(Isolation.HealthyWithoutDead.P99, 1)} ms without it (p50 {F(Isolation.HealthyWithoutDead.P50, 1)}) | {F(Isolation.P99Ratio, 2)}x | ≤ 1.10x |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| SIGKILL mid-run, restart | {Crash.Lost} lost, {Crash.Repeated} repeated of {Crash.Deliveries:N0} ({Crash.ArrivedBeforeKill:N0} arrived before the kill) | — | — | 0 lost |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| host memory over the {t.Deliveries:N0} deliveries | managed heap {Mb(t.ManagedHeapBefore)} → {Mb(t.ManagedHeapAfter)} MB; working set {Mb(t.WorkingSetBefore)} → {Mb(t.WorkingSetAfter)} MB (peak {Mb(t.PeakWorkingSet)}) | — | heap {F(heapRatio, 2)}x | flat within 10% |");
        return text.ToString();
    }

    private static string F(double value, int decimals) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string P(double ratio) => ratio.ToString("P0", CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => F(bytes / (1024.0 * 1024), 1);
}
