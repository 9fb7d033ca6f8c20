using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>
/// The standalone host's consumers: the events queue (fan-out) and the delivery queue (steps), side
/// by side. A consumer that ends while the host runs stops the host: a process that serves the API
/// but no longer delivers must not look healthy.
/// </summary>
internal sealed partial class QueueDriverService(
    IHostApplicationLifetime lifetime,
    QueueProvider queues,
    EventMessageHandler events,
    StepMessageHandler steps,
    DeliveryLease lease,
    IOptions<QueueDriverOptions> options,
    IOptions<StorageOptions> storage,
    ILoggerFactory loggers,
    ILogger<QueueDriverService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Task.CompletedTask;
        }
        var listenerLogger = loggers.CreateLogger<QueueListener>();
        var eventListener = new QueueListener(storage.Value.EventsQueue, queues.EventsAsync, events.HandleAsync,
            settings.EventsInFlight, lease.MessageVisibility, settings.ActivePollingInterval, settings.MaxPollingInterval, listenerLogger);
        var stepListener = new QueueListener(storage.Value.DeliveriesQueue, queues.DeliveriesAsync, steps.HandleAsync,
            settings.StepsInFlight, lease.MessageVisibility, settings.ActivePollingInterval, settings.MaxPollingInterval, listenerLogger);
        return Task.WhenAll(RunAsync(eventListener, stoppingToken), RunAsync(stepListener, stoppingToken));
    }

    private async Task RunAsync(QueueListener listener, CancellationToken stoppingToken)
    {
        try
        {
            await listener.RunAsync(stoppingToken);
        }
        finally
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                LogListenerEnded();
                lifetime.StopApplication();
            }
        }
    }

    [LoggerMessage(6004, LogLevel.Critical, "A queue consumer ended while the host was running; stopping the host")]
    private partial void LogListenerEnded();
}
