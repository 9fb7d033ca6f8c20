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
/// deliveries as pending and starts an orchestration for each. A malformed event throws, so the
/// trigger retries it and, after <c>maxDequeueCount</c>, moves it to <c>webhook-events-poison</c>;
/// the library logs the reason each time.
/// </summary>
public sealed class EventFunctions(QueuedEvents events, IOptions<RetryPolicy> policy)
{
    [Function(nameof(FanOutEvent))]
    public Task FanOutEvent([QueueTrigger("%" + FunctionsAppRegistration.EventsQueueSetting + "%")] QueueMessage message, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        events.FanOutAsync(message.Body.ToString(), message.MessageId, message.DequeueCount, DurableScheduler.For(client, policy), cancellationToken);
}
