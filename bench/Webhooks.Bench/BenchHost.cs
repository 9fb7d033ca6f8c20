using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Testing;

namespace Webhooks.Bench;

/// <summary>
/// A host under test, as a child process on the benchmark's Azurite, with storage operation
/// counting on: the standalone host, or the Functions app on the Functions host stand-in (its
/// orchestrations on the real Durable Task engine and Azure Storage provider). It can be killed
/// (SIGKILL) and started again on the same storage.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string ApiKey = "bench-api-key";

    private readonly Dictionary<string, string> settings;
    private readonly HostKind kind;
    private HostProcess process = null!;

    private BenchHost(Dictionary<string, string> settings, HostKind kind)
    {
        this.settings = settings;
        this.kind = kind;
    }

    public HttpClient Api { get; private set; } = null!;

    public int ProcessId => process.ProcessId;

    /// <summary>Starts a host of <paramref name="kind"/> that takes its events from <paramref name="eventsQueue"/>.</summary>
    public static async Task<BenchHost> StartAsync(string connectionString, IReadOnlyDictionary<string, string> overrides, HostKind kind = HostKind.Standalone, string eventsQueue = "webhook-events")
    {
        var settings = new Dictionary<string, string>
        {
            ["Webhooks:Storage:ConnectionString"] = connectionString,
            ["Webhooks:Secrets:AllowDevelopmentStore"] = "true",
            ["Webhooks:Endpoints:AllowLoopback"] = "true",
            ["Webhooks:Api:Keys:0"] = ApiKey,
            ["Webhooks:Diagnostics:CountStorageOperations"] = "true",
            ["Webhooks:Storage:EventsQueue"] = eventsQueue,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        if (kind == HostKind.DurableStandIn)
        {
            // The Functions app's settings: the Durable task hub and the trigger on the same Azurite, the trigger's queue by its flat setting.
            settings["AzureWebJobsStorage"] = connectionString;
            settings["WebhookEventsQueue"] = eventsQueue;
        }
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        var host = new BenchHost(settings, kind);
        await host.StartProcessAsync();
        return host;
    }

    /// <summary>Kills the host without warning (no shutdown code runs) and starts a new one on the same storage.</summary>
    public async Task KillAndRestartAsync()
    {
        await process.KillAsync();
        await process.DisposeAsync();
        Api.Dispose();
        await StartProcessAsync();
    }

    public async Task<Diagnostics> DiagnosticsAsync(bool collectGarbage = false)
    {
        var report = await Api.GetFromJsonAsync<JsonElement>("/api/diagnostics" + (collectGarbage ? "?collect=true" : ""));
        return new Diagnostics(
            report.GetProperty("storageOperations").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()),
            new HostMemory(
                report.GetProperty("workingSet").GetInt64(),
                report.GetProperty("peakWorkingSet").GetInt64(),
                report.GetProperty("managedHeap").GetInt64(),
                report.GetProperty("gcCommitted").GetInt64(),
                report.GetProperty("threads").GetInt32(),
                report.GetProperty("jitCompiledMethods").GetInt64()));
    }

    public async Task ResetCountersAsync() => (await Api.PostAsync("/api/diagnostics/reset", null)).EnsureSuccessStatusCode();

    private async Task StartProcessAsync()
    {
        process = HostProcess.Start(settings, environment: "Benchmark", assembly: kind == HostKind.DurableStandIn ? "Webhooks.FunctionsHostStandIn.dll" : "Webhooks.Standalone.dll");
        var address = await process.WaitForAddressAsync(TimeSpan.FromSeconds(60));
        Api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        Api.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await process.DisposeAsync();
    }
}

/// <summary>Which host runs the deliveries.</summary>
public enum HostKind
{
    /// <summary>The standalone host: queue-driven delivery steps.</summary>
    Standalone,

    /// <summary>The Functions app on the Functions host stand-in: a Durable orchestration per delivery.</summary>
    DurableStandIn,
}

/// <summary>What the host reported: storage operations by kind since the last reset, and its memory.</summary>
public sealed record Diagnostics(IReadOnlyDictionary<string, long> Operations, HostMemory Memory)
{
    public long Total => Operations.Values.Sum();
}

/// <summary>The host's memory in bytes (the managed heap after a full collection when one was asked for), its threads, and the methods the JIT has compiled.</summary>
public sealed record HostMemory(long WorkingSet, long PeakWorkingSet, long ManagedHeap, long GcCommitted, int Threads, long JitCompiledMethods)
{
    /// <summary>What the process holds besides the GC's memory: code, runtime data, native allocations, stacks.</summary>
    public long OutsideGc => WorkingSet - GcCommitted;
}
