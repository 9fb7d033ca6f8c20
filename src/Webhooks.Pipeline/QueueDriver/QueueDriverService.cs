using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>The standalone host's consumers: the events queue (fan-out) and the delivery queue (steps), side by side.</summary>
internal sealed class QueueDriverService(
    QueueProvider queues,
    EventMessageHandler events,
    StepMessageHandler steps,
    DeliveryLease lease,
    IOptions<QueueDriverOptions> options,
    IOptions<StorageOptions> storage,
    ILoggerFactory loggers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Task.CompletedTask;
        }
        var logger = loggers.CreateLogger<QueueListener>();
        var eventListener = new QueueListener(storage.Value.EventsQueue, queues.EventsAsync, events.HandleAsync,
            settings.EventsInFlight, lease.MessageVisibility, settings.MaxPollingInterval, logger);
        var stepListener = new QueueListener(storage.Value.DeliveriesQueue, queues.DeliveriesAsync, steps.HandleAsync,
            settings.StepsInFlight, lease.MessageVisibility, settings.MaxPollingInterval, logger);
        return Task.WhenAll(eventListener.RunAsync(stoppingToken), stepListener.RunAsync(stoppingToken));
    }
}
