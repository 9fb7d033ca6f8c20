using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Webhooks.FunctionsHostStandIn;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.DurableHost;

/// <summary>
/// A delivery test's world on the Functions host stand-in, in this process: the Functions app's own
/// functions, its orchestrations on the Durable Task worker over gRPC to the real Azure Storage
/// provider, on the test's Azurite, with a task hub and an events queue of its own.
/// </summary>
public sealed class StandInHarness : DeliveryWorld
{
    private readonly WebApplication app;

    private StandInHarness(WebApplication app, HttpClient api, LoopbackReceiver receiver, AzuriteFixture storage, StandInNames names)
        : base(api, receiver, app.Services, storage, names.EventsQueue)
    {
        this.app = app;
        Storage = storage;
        Names = names;
    }

    public AzuriteFixture Storage { get; }

    public StandInNames Names { get; }

    public DurableTaskClient Durable => app.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>The stand-in's container: the Functions app's services.</summary>
    public IServiceProvider Services => app.Services;

    public FakeLogCollector Logs => app.Services.GetRequiredService<FakeLogCollector>();

    public static Task<StandInHarness> StartAsync(AzuriteFixture storage, params (string Key, string? Value)[] settings) =>
        StartAsync(storage, configureServices: null, settings);

    /// <summary>As above, with services of the test's own added to the host's (a span collector).</summary>
    public static async Task<StandInHarness> StartAsync(AzuriteFixture storage, Action<IServiceCollection>? configureServices, params (string Key, string? Value)[] settings)
    {
        var receiver = await LoopbackReceiver.StartAsync();
        var names = StandInNames.New();
        var app = StandInHost.Build([], builder =>
        {
            builder.Environment.EnvironmentName = "Testing";
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(names.Settings(storage.ConnectionString, DeliveryTestSettings.With(settings)));
            builder.Logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
            configureServices?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var api = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        return new StandInHarness(app, api, receiver, storage, names);
    }

    public async Task<int> QueueLengthAsync(string queue) =>
        (await new QueueClient(Storage.ConnectionString, queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    /// <summary>Every row of one of the task hub's own tables (History, Instances), read directly from Azurite.</summary>
    public Task<List<TableEntity>> HubRowsAsync(string table) => StoredRows.ReadAllAsync(Storage, Names.HubName + table);

    public override string Problems() => string.Join("\n", Logs.GetSnapshot()
        .Where(r => r.Level >= LogLevel.Warning)
        .Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}"));

    public override async ValueTask DisposeAsync()
    {
        Api.Dispose();
        // Stopping the task hub before its orchestration service has started throws inside DurableTask.AzureStorage
        // (a NullReferenceException on a thread-pool thread, which ends the test process): a short test waits for it.
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(15) && !Logs.GetSnapshot().Any(r => r.Message.Contains("Successfully acquired app lease", StringComparison.Ordinal)))
        {
            await Task.Delay(100);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>A stand-in's own task hub and events queue on a shared Azurite, and the settings that name them.</summary>
public sealed record StandInNames(string HubName, string EventsQueue)
{
    public static StandInNames New()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new StandInNames("hub" + suffix, "ev-" + suffix);
    }

    public Dictionary<string, string?> Settings(string connectionString, IDictionary<string, string?> more)
    {
        var settings = new Dictionary<string, string?>
        {
            [StandInHost.StorageSetting] = connectionString,
            ["Webhooks:Storage:ConnectionString"] = connectionString,
            ["Webhooks:Secrets:AllowDevelopmentStore"] = "true",
            ["WebhookEventsQueue"] = EventsQueue,
            // The Functions host's own override of a host.json value: a task hub per test on the shared Azurite.
            [$"{HostJson.OverridePrefix}:extensions:durableTask:hubName"] = HubName,
            // The backlog gauges scan every organization's webhooks: only the tests of those gauges turn them on.
            ["Webhooks:Telemetry:SampleInterval"] = "00:00:00",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }
}
