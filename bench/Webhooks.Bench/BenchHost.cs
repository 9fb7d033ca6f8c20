using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Standalone.LocalDevelopment;

namespace Webhooks.Bench;

/// <summary>
/// The standalone host under test, as a child process on the benchmark's Azurite, with storage
/// operation counting on. It can be killed (SIGKILL) and started again on the same storage.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string ApiKey = "bench-api-key";

    private readonly Dictionary<string, string> settings;
    private HostProcess process = null!;

    private BenchHost(Dictionary<string, string> settings) => this.settings = settings;

    public HttpClient Api { get; private set; } = null!;

    public int ProcessId => process.ProcessId;

    public static async Task<BenchHost> StartAsync(string connectionString, IReadOnlyDictionary<string, string> overrides)
    {
        var settings = new Dictionary<string, string>
        {
            ["Webhooks:Storage:ConnectionString"] = connectionString,
            ["Webhooks:Secrets:AllowDevelopmentStore"] = "true",
            ["Webhooks:Endpoints:AllowLoopback"] = "true",
            ["Webhooks:Api:Keys:0"] = ApiKey,
            ["Webhooks:Diagnostics:CountStorageOperations"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        var host = new BenchHost(settings);
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
        process = HostProcess.Start(settings, environment: "Benchmark");
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
