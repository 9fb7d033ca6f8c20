using System.Diagnostics;
using System.Text.Json;

namespace Webhooks.Tests.Bench;

/// <summary>
/// The benchmark harness in its smoke mode (the quick set, smaller), as CI runs it: it must run every scenario (the standalone
/// host's and the Durable path's on the Functions host stand-in) to the end and
/// write its report. The figures are not judged here (CI machines are shared and noisy); only a
/// broken harness, or a scenario that never completes, fails.
/// </summary>
[Trait("Category", "Slow")]
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task TheQuickBenchmarkRunsEveryScenarioAndWritesItsReport()
    {
        var report = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Webhooks.Bench.dll"), "--smoke", "--out", report })
        {
            start.ArgumentList.Add(argument);
        }
        using var bench = Process.Start(start)!;
        var output = bench.StandardOutput.ReadToEndAsync();
        var errors = bench.StandardError.ReadToEndAsync();
        // A guard against a hung harness, not a claim about speed: on a shared two-core machine, beside the other
        // collections, the quick run has taken over ten minutes and the smoke run five. A run past the guard is killed, not left running.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(25));
        try
        {
            await bench.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            bench.Kill(entireProcessTree: true);
            Assert.Fail($"the harness did not finish within 25 minutes: {await output}{await errors}");
        }

        Assert.True(bench.ExitCode == 0, $"the harness failed: {await output}{await errors}");
        Assert.Contains("| sustained deliveries/s", await output, StringComparison.Ordinal);
        var figures = JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement;
        File.Delete(report);
        foreach (var scenario in new[] { "throughput", "latency", "wideFanOut", "isolation" })
        {
            Assert.True(figures.GetProperty(scenario).GetProperty("complete").GetBoolean(), $"{scenario} did not complete");
        }
        Assert.True(figures.GetProperty("throughput").GetProperty("deliveries").GetInt32() > 0);
        Assert.True(figures.GetProperty("throughput").GetProperty("storageOperationsPerDelivery").GetDouble() > 0);
        Assert.True(figures.GetProperty("latency").GetProperty("breakdown").GetProperty("post").GetProperty("count").GetInt32() > 0, "no delivery's time was broken down");
        Assert.True(figures.GetProperty("throughput").GetProperty("memoryDuringRun").GetArrayLength() > 0, "the host's memory was not sampled during the run");
        Assert.True(figures.GetProperty("crash").GetProperty("deliveries").GetInt32() > 0);
        // Endpoint protection, each scenario before and after, on both paths.
        Assert.Contains("| endpoint protection", await output, StringComparison.Ordinal);
        foreach (var path in new[] { "protection", "durableProtection" })
        {
            foreach (var scenario in new[] { "burstBefore", "burstAfter", "throttleBefore", "throttleAfter", "downBefore", "downAfter" })
            {
                Assert.True(figures.GetProperty(path).GetProperty(scenario).GetProperty("complete").GetBoolean(), $"{path} {scenario} did not complete");
            }
        }
        Assert.True(figures.GetProperty("throughput").GetProperty("storageCpuMillisecondsPerDelivery").GetDouble() > 0, "Azurite's processor time was not read");
        // The Durable path, on the Functions host stand-in: its runs complete, and its storage requests include the task hub's own.
        var durable = figures.GetProperty("durable");
        foreach (var scenario in new[] { "calibration", "latency", "throughput" })
        {
            Assert.True(durable.GetProperty(scenario).GetProperty("complete").GetBoolean(), $"durable {scenario} did not complete");
        }
        var kinds = durable.GetProperty("throughput").GetProperty("storageOperationsPerDeliveryByKind").EnumerateObject().Select(k => k.Name).ToList();
        Assert.Contains(kinds, k => k.StartsWith("hub.", StringComparison.Ordinal));
        Assert.Contains(kinds, k => !k.StartsWith("hub.", StringComparison.Ordinal) && !k.StartsWith("trigger.", StringComparison.Ordinal));
        Assert.Contains("Durable path", await output, StringComparison.Ordinal);
    }
}
