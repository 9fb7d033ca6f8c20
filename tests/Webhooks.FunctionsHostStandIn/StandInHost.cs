using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Azure.Storage.Queues;
using Grpc.Net.Client;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Webhooks.Diagnostics;
using Webhooks.Functions.Hosting;

namespace Webhooks.FunctionsHostStandIn;

/// <summary>
/// The Functions host stand-in as one process: the Functions app's container (its own
/// <see cref="FunctionsAppRegistration.AddWebhookFunctionsApp"/>), its orchestrator and activity
/// functions on the Durable Task worker connected over gRPC to a <see cref="TaskHubSidecar"/> running
/// the Azure Storage provider, its queue-triggered functions fed by <see cref="QueueTriggerListener"/>,
/// and its HTTP functions served by Kestrel under host.json's route prefix. Settings are the app's
/// (as in local.settings.json's Values), plus <c>AzureWebJobsStorage</c>, a connection string.
/// </summary>
public static class StandInHost
{
    public const string StorageSetting = "AzureWebJobsStorage";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddWebhookFunctionsApp();

        var connectionString = builder.Configuration[StorageSetting] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Set {StorageSetting} to a storage connection string (the stand-in runs on Azurite).");
        var hostJson = HostJson.Read(Path.Combine(AppContext.BaseDirectory, "host.json"), builder.Configuration);
        var catalog = FunctionCatalog.Of(typeof(FunctionsAppRegistration).Assembly);
        var counter = builder.Services.FirstOrDefault(d => d.ServiceType == typeof(StorageOperationCounter))?.ImplementationInstance as StorageOperationCounter;
        builder.Services.AddSingleton(hostJson);

        // The sidecar starts first (hosted services start in order), on a port chosen now so the worker's channel can name it.
        var sidecarPort = FreeLoopbackPort();
        builder.Services.AddHostedService(services => new SidecarService(sidecarPort, connectionString, hostJson.DurableTask, counter, services.GetRequiredService<ILoggerFactory>()));
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecarPort}");
        builder.Services.AddSingleton(channel);
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.AddTasks(registry => DurableFunctions.Register(registry, catalog));
            worker.Configure(options =>
            {
                options.Concurrency.MaximumConcurrentActivityWorkItems = hostJson.DurableTask.MaxConcurrentActivityFunctions;
                options.Concurrency.MaximumConcurrentOrchestrationWorkItems = hostJson.DurableTask.MaxConcurrentOrchestratorFunctions;
            });
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(channel);
            client.RegisterDirectly();
        });

        var triggerQueues = new QueueServiceClient(connectionString, Counted(new QueueClientOptions(), counter));
        foreach (var (function, trigger) in catalog.WithTrigger<QueueTriggerAttribute>())
        {
            var queueName = Resolve(trigger.QueueName, builder.Configuration);
            builder.Services.AddSingleton<IHostedService>(services => new QueueTriggerListener(
                function, triggerQueues, queueName, hostJson.Queues, services, services.GetRequiredService<ILogger<QueueTriggerListener>>()));
        }

        var app = builder.Build();
        app.MapHttpFunctions(HttpFunctions.Of(catalog, hostJson.RoutePrefix));
        app.MapGroup("/" + hostJson.RoutePrefix).MapDiagnosticsRoutes();
        return app;
    }

    /// <summary>A binding expression's <c>%Setting%</c> resolved as the Functions host resolves it: the whole value from app settings.</summary>
    public static string Resolve(string expression, IConfiguration configuration) =>
        expression.Length > 2 && expression[0] == '%' && expression[^1] == '%'
            ? configuration[expression[1..^1]] is { Length: > 0 } resolved ? resolved : throw new InvalidOperationException($"The binding expression {expression} names an app setting that is not set.")
            : expression;

    // The trigger's own polling is the Functions host's storage traffic: counted apart from the app's and the task hub's.
    private static QueueClientOptions Counted(QueueClientOptions options, StorageOperationCounter? counter)
    {
        if (counter is not null)
        {
            options.AddPolicy(counter.PolicyFor(StorageService.Queue, "trigger"), HttpPipelinePosition.PerRetry);
        }
        return options;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class SidecarService(int port, string connectionString, DurableTaskSettings settings, StorageOperationCounter? counter, ILoggerFactory loggerFactory) : IHostedService
    {
        private TaskHubSidecar? sidecar;

        public async Task StartAsync(CancellationToken cancellationToken) =>
            sidecar = await TaskHubSidecar.StartAsync(port, connectionString, settings, counter, loggerFactory, cancellationToken);

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (sidecar is not null)
            {
                await sidecar.DisposeAsync();
            }
        }
    }
}
