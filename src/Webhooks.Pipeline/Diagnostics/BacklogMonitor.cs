using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Storage;

namespace Webhooks.Diagnostics;

/// <summary>
/// The backlog gauges on the pipeline's meter, sampled in the background (a gauge's callback cannot
/// wait on storage): each queue's approximate depth and its oldest message's age (the events and
/// delivery queues and their poison queues, those that exist), and the number of disabled webhooks.
/// Every instance of a host reports the same figures; dashboards take their maximum.
/// </summary>
public sealed partial class BacklogMonitor : BackgroundService
{
    private readonly QueueServiceClient queues;
    private readonly TableProvider tables;
    private readonly IOptions<StorageOptions> storage;
    private readonly IOptions<BacklogOptions> options;
    private readonly TimeProvider clock;
    private readonly ILogger<BacklogMonitor> logger;
    private readonly ConcurrentDictionary<string, (int Depth, double OldestAge)> sampled = new(StringComparer.Ordinal);
    private int? disabledWebhooks;

    public BacklogMonitor(QueueServiceClient queues, TableProvider tables, IOptions<StorageOptions> storage, IOptions<BacklogOptions> options, IMeterFactory meters, TimeProvider clock, ILogger<BacklogMonitor> logger)
    {
        (this.queues, this.tables, this.storage, this.options, this.clock, this.logger) = (queues, tables, storage, options, clock, logger);
        var meter = meters.Create(Delivery.DeliveryTelemetry.MeterName);
        meter.CreateObservableGauge("webhooks.queue.depth", () => sampled.Select(q => new Measurement<int>(q.Value.Depth, Queue(q.Key))),
            unit: "{message}", description: "Messages in each of the pipeline's queues (approximate), by queue.");
        meter.CreateObservableGauge("webhooks.queue.oldest_message.age", () => sampled.Select(q => new Measurement<double>(q.Value.OldestAge, Queue(q.Key))),
            unit: "s", description: "How long the message at the front of each queue has been in it (0 when empty), by queue.");
        meter.CreateObservableGauge("webhooks.disabled_webhooks", () => disabledWebhooks is { } count ? [new Measurement<int>(count)] : Array.Empty<Measurement<int>>(),
            unit: "{webhook}", description: "Webhooks that are disabled, automatically or by hand, across every organization.");
    }

    /// <summary>Reads every figure once; the gauges report what it read until the next time.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var names = new[] { storage.Value.EventsQueue, storage.Value.DeliveriesQueue }
            .SelectMany(q => new[] { q, StorageOptions.PoisonQueueOf(q) }).Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var queue = queues.GetQueueClient(name);
            try
            {
                var depth = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
                var front = (await queue.PeekMessagesAsync(1, cancellationToken)).Value.FirstOrDefault();
                var age = front?.InsertedOn is { } inserted ? Math.Max(0, (clock.GetUtcNow() - inserted).TotalSeconds) : 0;
                sampled[name] = (depth, age);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // A queue this host does not use (the delivery queue in the Functions app) is not reported.
                sampled.TryRemove(name, out _);
            }
        }
        var webhooks = await tables.WebhooksAsync(cancellationToken);
        var disabled = 0;
        await foreach (var _ in webhooks.QueryAsync<TableEntity>(filter: "Enabled eq false", select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            disabled++;
        }
        disabledWebhooks = disabled;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SampleInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static KeyValuePair<string, object?> Queue(string name) => new("queue", name);

    [LoggerMessage(7001, LogLevel.Warning, "The backlog gauges could not be sampled; they report the last figures read")]
    private partial void LogSampleFailed(Exception e);
}
