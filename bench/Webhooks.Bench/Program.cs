using Azure.Storage.Queues;
using Webhooks.Standalone.LocalDevelopment;

namespace Webhooks.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Webhooks.Bench [-- --quick] [--out FILE]</c>: runs every
/// scenario against a fresh Azurite (disk mode, temporary folder) and a standalone host process,
/// prints the table and writes the figures as JSON. The numbers never fail a run; a broken harness does.
/// </summary>
public static class Program
{
    /// <summary>
    /// Host settings the benchmark changes from the defaults: a 5 s sending timeout and a 2 s lease
    /// margin, so a crashed host's claims lapse in seconds rather than a minute.
    /// </summary>
    private static readonly Dictionary<string, string> HostSettings = new()
    {
        ["Webhooks:Sending:Timeout"] = "00:00:05",
        ["Webhooks:Delivery:LeaseMargin"] = "00:00:02",
    };

    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? (quick ? "bench-quick.json" : "bench-results.json");
        var sizes = quick ? BenchSizes.Quick : BenchSizes.Full;
        var folder = Directory.CreateTempSubdirectory("webhooks-bench-");
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(folder.FullName);
            await using var receiver = await BenchReceiver.StartAsync();
            Console.WriteLine("Measuring the ceilings...");
            var ceilings = new CeilingResult(
                await Ceilings.StorageBoundDeliveriesPerSecondAsync(azurite.ConnectionString, 16, sizes.CeilingDuration),
                16,
                await Ceilings.QueueRoundTripAsync(azurite.ConnectionString, sizes.RoundTripSamples),
                await Ceilings.HttpPostsPerSecondAsync(receiver.UrlOf("/ok/raw"), 64, sizes.CeilingDuration),
                64);

            await using var host = await BenchHost.StartAsync(azurite.ConnectionString, HostSettings);
            var events = new QueueClient(azurite.ConnectionString, "webhook-events");
            await events.CreateIfNotExistsAsync();
            var run = new BenchRun(sizes, azurite.ConnectionString, host, receiver, new EventSource(host, events));

            Console.WriteLine("1+6. Sustained throughput and memory...");
            var throughput = await Scenarios.ThroughputAsync(run);
            Console.WriteLine("2. Latency at half load...");
            var latency = await Scenarios.LatencyAtHalfLoadAsync(run, throughput.SteadyDeliveriesPerSecond);
            Console.WriteLine("3. One event to many webhooks...");
            var wide = await Scenarios.WideFanOutAsync(run);
            Console.WriteLine("4. Isolation from a dead endpoint...");
            var isolation = await Scenarios.IsolationAsync(run, throughput.SteadyDeliveriesPerSecond);
            Console.WriteLine("5. Crash and restart...");
            var crash = await Scenarios.CrashAsync(run);

            var report = new BenchReport(BenchReport.DescribeMachine(), quick ? "quick" : "full", DateTimeOffset.UtcNow, HostSettings, ceilings, throughput, latency, wide, isolation, crash);
            await File.WriteAllTextAsync(output, report.ToJson());
            Console.WriteLine();
            Console.WriteLine(report.ToMarkdown());
            Console.WriteLine($"Figures written to {Path.GetFullPath(output)}.");
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
