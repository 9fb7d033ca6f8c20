using Azure.Storage.Queues;
using Webhooks.Standalone.LocalDevelopment;

namespace Webhooks.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Webhooks.Bench [-- --quick | --smoke | --memory | --latency | --durable | --protection] [--set KEY=VALUE ...] [--out FILE]</c>:
/// runs the Durable scenarios against the Functions host stand-in on a fresh Azurite (disk mode,
/// temporary folder), then the standalone scenarios against a standalone host process on the same Azurite, prints
/// the table and writes the figures as JSON. <c>--memory</c> runs scenario 6 alone (100,000 deliveries,
/// longer than the default set); <c>--latency</c> the calibration and scenario 2 alone, to compare host
/// settings given with <c>--set</c> (a configuration key of the host, as in the configuration
/// reference, docs/configuration.md; for the stand-in also <c>AzureFunctionsJobHost:...</c> host.json overrides);
/// <c>--durable</c> the Durable scenarios alone; <c>--protection</c> the endpoint protection scenarios alone (both paths,
/// each scenario before and after). The numbers never fail a run; a broken harness does.
/// </summary>
public static class Program
{
    /// <summary>
    /// Host settings the benchmark changes from the defaults: a 5 s sending timeout and a 2 s lease
    /// margin, so a crashed host's claims lapse in seconds rather than a minute, and room for the
    /// wide fan-out's 1,000 webhooks in one organization (the default quota is 100).
    /// </summary>
    private static readonly Dictionary<string, string> HostSettings = new()
    {
        ["Webhooks:Sending:Timeout"] = "00:00:05",
        ["Webhooks:Delivery:LeaseMargin"] = "00:00:02",
        ["Webhooks:Quotas:MaxWebhooksPerOrganization"] = "100000",
    };

    public static async Task<int> Main(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var quick = smoke || args.Contains("--quick");
        var memoryOnly = args.Contains("--memory");
        var latencyOnly = args.Contains("--latency");
        var durableOnly = args.Contains("--durable");
        var protectionOnly = args.Contains("--protection");
        var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault()
            ?? (quick ? "bench-quick.json" : memoryOnly ? "bench-memory.json" : latencyOnly ? "bench-latency.json" : durableOnly ? "bench-durable.json" : protectionOnly ? "bench-protection.json" : "bench-results.json");
        var hostSettings = new Dictionary<string, string>(HostSettings);
        foreach (var setting in args.Zip(args.Skip(1)).Where(p => p.First == "--set").Select(p => p.Second.Split('=', 2)))
        {
            hostSettings[setting[0]] = setting.ElementAtOrDefault(1) ?? throw new ArgumentException($"--set {setting[0]}: expected KEY=VALUE.");
        }
        var sizes = smoke ? BenchSizes.Smoke : quick ? BenchSizes.Quick : BenchSizes.Full;
        var folder = Directory.CreateTempSubdirectory("webhooks-bench-");
        try
        {
            // --in-memory: Azurite without its disk store, to tell its autosave from the rest (it freezes past a few thousand messages).
            await using var azurite = await AzuriteProcess.StartAsync(args.Contains("--in-memory") ? null : folder.FullName);
            await using var receiver = await BenchReceiver.StartAsync();
            if (protectionOnly)
            {
                var (standalone, durablePath) = await ProtectionAsync(azurite.ConnectionString, receiver, hostSettings, sizes, smoke);
                await File.WriteAllTextAsync(output, BenchReport.ToJson(new { hostSettings, protection = standalone, durableProtection = durablePath }));
                Console.WriteLine(BenchReport.ProtectionLines(standalone, durablePath));
                return 0;
            }
            Console.WriteLine("Measuring the ceilings...");
            var storageBound = await Ceilings.StorageBoundDeliveriesPerSecondAsync(azurite.ConnectionString, 16, sizes.CeilingDuration);
            var roundTrip = await Ceilings.QueueRoundTripAsync(azurite.ConnectionString, sizes.RoundTripSamples);
            var (pointRead, batchInsert) = await Ceilings.CriticalPathAsync(azurite.ConnectionString, sizes.RoundTripSamples);
            var fanOutWrites = await Ceilings.FanOutWritesAsync(azurite.ConnectionString, 10, sizes.RoundTripSamples / 4);
            var posts = await Ceilings.HttpPostsPerSecondAsync(receiver.UrlOf("/ok/raw"), 64, sizes.CeilingDuration);
            var ceilings = new CeilingResult(storageBound, 16, roundTrip, pointRead, batchInsert, fanOutWrites, posts, 64);

            if (durableOnly)
            {
                var alone = await DurableAsync(azurite, receiver, hostSettings, sizes);
                await File.WriteAllTextAsync(output, BenchReport.ToJson(new { hostSettings, ceilings, durable = alone }));
                Console.WriteLine(BenchReport.DurableLines(alone, standaloneThroughput: null));
                return 0;
            }

            // The Durable scenarios first, on a fresh store: the path makes about ten times the standalone host's
            // storage requests per delivery, and Azurite's autosave slows every request as the store grows. One host
            // at a time on the shared Azurite, so neither host's polling loads the other's runs.
            var durable = memoryOnly || latencyOnly ? null : await DurableAsync(azurite, receiver, hostSettings, sizes);

            // Disposed on every way out, a failed scenario included: a host left running would poll the next run's Azurite.
            await using var host = await BenchHost.StartAsync(azurite.ConnectionString, hostSettings);
            var events = new QueueClient(azurite.ConnectionString, "webhook-events");
            await events.CreateIfNotExistsAsync();
            var run = new BenchRun(sizes, azurite.ConnectionString, host, receiver, new EventSource(host, events), () => azurite.CpuTime);

            if (memoryOnly)
            {
                Console.WriteLine($"6. Memory across {sizes.MemoryEvents * 10:N0} deliveries...");
                var memory = await Scenarios.ThroughputAsync(run, "memory", sizes.MemoryEvents);
                await File.WriteAllTextAsync(output, BenchReport.ToJson(memory));
                Console.WriteLine(BenchReport.MemoryLine(memory));
                return 0;
            }
            // Azurite slows as its store grows (it saves the whole table store to disk every few seconds), so the
            // latency-sensitive scenarios run first, on a small store, at half of a short calibration run's rate.
            Console.WriteLine("1. Calibration...");
            var calibration = await Scenarios.ThroughputAsync(run, "calibration", sizes.ThroughputEvents / 10);
            Console.WriteLine("2. Latency at half load...");
            var latency = await Scenarios.LatencyAtHalfLoadAsync(run, "latency", calibration.SteadyDeliveriesPerSecond, sizes.LatencyEvents);
            if (latencyOnly)
            {
                await File.WriteAllTextAsync(output, BenchReport.ToJson(new { hostSettings, ceilings, calibration, latency }));
                Console.WriteLine(BenchReport.LatencyLines(ceilings, latency));
                return 0;
            }
            Console.WriteLine("4. Isolation from a dead endpoint...");
            var isolation = await Scenarios.IsolationAsync(run, calibration.SteadyDeliveriesPerSecond);
            Console.WriteLine("3. One event to many webhooks...");
            var wide = await Scenarios.WideFanOutAsync(run);
            Console.WriteLine("1. Sustained throughput...");
            var throughput = await Scenarios.ThroughputAsync(run, "throughput", sizes.ThroughputEvents);
            // The same raw work again, now that the store is as full as the throughput run left it.
            var storageBoundAfter = await Ceilings.StorageBoundDeliveriesPerSecondAsync(azurite.ConnectionString, 16, sizes.CeilingDuration);
            Console.WriteLine("5. Crash and restart...");
            var crash = await Scenarios.CrashAsync(run);

            // Last: each scenario starts hosts of their own, on queues of their own.
            var (protection, durableProtection) = await ProtectionAsync(azurite.ConnectionString, receiver, hostSettings, sizes, smoke);
            var report = new BenchReport(BenchReport.DescribeMachine(), smoke ? "smoke" : quick ? "quick" : "full", DateTimeOffset.UtcNow, hostSettings, ceilings with { StorageBoundAfterThroughput = storageBoundAfter }, calibration, throughput, latency, wide, isolation, crash, durable ?? throw new InvalidOperationException("The Durable scenarios run in the default set."))
            {
                Protection = protection,
                DurableProtection = durableProtection,
            };
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

    /// <summary>Endpoint protection on the standalone host, then on the Durable path, each on hosts of their own.</summary>
    private static async Task<(ProtectionResult Standalone, ProtectionResult Durable)> ProtectionAsync(string connectionString, BenchReceiver receiver, Dictionary<string, string> hostSettings, BenchSizes sizes, bool smoke)
    {
        var standalone = await ProtectionScenarios.RunAsync(connectionString, receiver, hostSettings, sizes, smoke ? ProtectionSizes.Smoke : ProtectionSizes.Standalone, HostKind.Standalone, "protection-events");
        var durable = await ProtectionScenarios.RunAsync(connectionString, receiver, hostSettings, sizes, smoke ? ProtectionSizes.Smoke : ProtectionSizes.Durable, HostKind.DurableStandIn, "durable-protection-events");
        return (standalone, durable);
    }

    /// <summary>
    /// The Durable path: the Functions app on the Functions host stand-in (a Durable orchestration per
    /// delivery on the Azure Storage provider), on the same Azurite and receiver, with an events queue of
    /// its own: calibration, latency at half of it, sustained throughput beside the raw storage bound
    /// measured just before, and the storage requests per first-try delivery, the task hub's and the
    /// queue trigger's included.
    /// </summary>
    private static async Task<DurableResult> DurableAsync(AzuriteProcess azurite, BenchReceiver receiver, Dictionary<string, string> hostSettings, BenchSizes sizes)
    {
        const string queue = "durable-events";
        var connectionString = azurite.ConnectionString;
        await using var host = await BenchHost.StartAsync(connectionString, hostSettings, HostKind.DurableStandIn, queue);
        var events = new QueueClient(connectionString, queue);
        await events.CreateIfNotExistsAsync();
        var run = new BenchRun(sizes, connectionString, host, receiver, new EventSource(host, events), () => azurite.CpuTime);
        Console.WriteLine("D1. Durable calibration...");
        var calibration = await Scenarios.ThroughputAsync(run, "d-calibration", sizes.DurableThroughputEvents / 3);
        Console.WriteLine("D2. Durable latency at half load...");
        var latency = await Scenarios.LatencyAtHalfLoadAsync(run, "d-latency", calibration.SteadyDeliveriesPerSecond, sizes.DurableLatencyEvents);
        var storageBound = await Ceilings.StorageBoundDeliveriesPerSecondAsync(connectionString, 16, sizes.CeilingDuration);
        Console.WriteLine("D1. Durable sustained throughput...");
        var throughput = await Scenarios.ThroughputAsync(run, "d-throughput", sizes.DurableThroughputEvents);
        return new DurableResult(calibration, latency, throughput, storageBound);
    }
}
