using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Functions.Deliveries;
using Webhooks.Functions.Hosting;
using Webhooks.Ingestion;

namespace Webhooks.Functions.Events;

/// <summary>
/// The fan-out: each message of the events queue is one library call that records the event's
/// deliveries as pending and starts an orchestration for each. A malformed event is moved by the
/// library to <c>webhook-events-poison</c> with its reason at once; a failure (storage down, say)
/// throws, so the trigger retries it and, after <c>maxDequeueCount</c>, moves it there itself.
/// </summary>
public sealed class EventFunctions(EventQueueConsumer events, IOptions<RetryPolicy> policy)
{
    [Function(nameof(FanOutEvent))]
    public Task FanOutEvent([QueueTrigger("%" + FunctionsAppRegistration.EventsQueueSetting + "%")] QueueMessage message, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        events.FanOutAsync(message, DurableScheduler.For(client, policy), cancellationToken);
}
