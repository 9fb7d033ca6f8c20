using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Ingestion;

namespace Webhooks.QueueDriver;

/// <summary>
/// One message of the events queue: a malformed event goes to the poison queue with its reason;
/// a good one is fanned out. The message may go only when the fan-out is complete. A message that
/// keeps failing (storage down, say) goes to the poison queue after the dequeue limit.
/// </summary>
public sealed class EventMessageHandler(
    EventQueueConsumer events,
    IDeliveryScheduler scheduler,
    IOptions<QueueDriverOptions> options,
    TimeProvider clock)
{
    public async Task<MessageOutcome> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (message.DequeueCount > options.Value.MaxDequeueCount)
        {
            // Its deliveries already recorded stay pending and resume when the message is replayed from the poison queue.
            await events.PoisonAsync(message, $"Processing failed {message.DequeueCount - 1} times; the host's log has each error.", null, cancellationToken);
            return MessageOutcome.Complete;
        }
        var result = await events.FanOutAsync(message, scheduler, cancellationToken);
        return result.RetryAt is { } retryAt ? MessageOutcome.RetryAfter(retryAt - clock.GetUtcNow()) : MessageOutcome.Complete;
    }
}
