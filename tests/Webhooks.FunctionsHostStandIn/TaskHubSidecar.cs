using System.Net;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;
using Webhooks.Diagnostics;

namespace Webhooks.FunctionsHostStandIn;

/// <summary>
/// What the Functions host's Durable extension does for an isolated worker: it runs the orchestration
/// service (here the real Azure Storage provider, the Durable Functions default) and serves it to the
/// worker over gRPC. <see cref="TaskHubGrpcServer"/> (Microsoft.DurableTask.InProcessTestHost) is that
/// gRPC endpoint; it dispatches work items within the provider's concurrency limits, which come from
/// host.json as in the extension.
/// </summary>
public sealed class TaskHubSidecar : IAsyncDisposable
{
    private readonly WebApplication app;

    private TaskHubSidecar(WebApplication app, AzureStorageOrchestrationService service, Uri address)
    {
        this.app = app;
        Service = service;
        Address = address;
    }

    /// <summary>The gRPC address (HTTP/2 without TLS, loopback) the worker and clients connect to.</summary>
    public Uri Address { get; }

    public AzureStorageOrchestrationService Service { get; }

    public static async Task<TaskHubSidecar> StartAsync(int port, string connectionString, DurableTaskSettings settings, StorageOperationCounter? counter, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        T Counted<T>(T options, StorageService kind) where T : ClientOptions
        {
            if (counter is not null)
            {
                options.AddPolicy(counter.PolicyFor(kind, "hub"), HttpPipelinePosition.PerRetry);
            }
            return options;
        }

        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = settings.HubName,
            PartitionCount = settings.PartitionCount,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            ControlQueueBatchSize = settings.ControlQueueBatchSize,
            ControlQueueBufferThreshold = settings.ControlQueueBufferThreshold,
            ControlQueueVisibilityTimeout = settings.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = settings.WorkItemQueueVisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentOrchestratorFunctions,
            ExtendedSessionsEnabled = settings.ExtendedSessionsEnabled,
            LoggerFactory = loggerFactory,
            StorageAccountClientProvider = new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connectionString, Counted(new BlobClientOptions(), StorageService.Blob)),
                StorageServiceClientProvider.ForQueue(connectionString, Counted(new QueueClientOptions(), StorageService.Queue)),
                StorageServiceClientProvider.ForTable(connectionString, Counted(new TableClientOptions(), StorageService.Table))),
        });
        // The extension creates the hub's queues, tables and lease blobs before it starts; the gRPC server only starts the service.
        await service.CreateIfNotExistsAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        // The gRPC server logs through the worker app's logging; the sidecar's own web host stays silent.
        builder.Services.AddSingleton(services => new TaskHubGrpcServer(
            services.GetRequiredService<IHostApplicationLifetime>(), loggerFactory, service, service, services.GetRequiredService<IOptions<TaskHubGrpcServerOptions>>()));
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Urls.Single());
        return new TaskHubSidecar(app, service, address);
    }

    public async ValueTask DisposeAsync()
    {
        // The gRPC server waits for work items the worker will no longer finish; the provider's messages reappear for the next host.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }
}
