using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Ingestion;
using Webhooks.Management;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>
/// One message of the events queue: a malformed event goes to the poison queue with its reason;
/// a good one is fanned out. The message may go only when the fan-out is complete.
/// </summary>
public sealed class EventMessageHandler(
    QueuedEvents events,
    IDeliveryScheduler scheduler,
    PoisonMessages poison,
    QueueProvider queues,
    IOptions<StorageOptions> storage,
    IOptions<QueueDriverOptions> options,
    TimeProvider clock)
{
    public async Task<MessageOutcome> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (message.DequeueCount > options.Value.MaxDequeueCount)
        {
            // Its deliveries already recorded stay pending and resume when the message is replayed from the poison queue.
            await PoisonAsync(message, $"Processing failed {message.DequeueCount - 1} times; the host's log has each error.", null, cancellationToken);
            return MessageOutcome.Complete;
        }
        try
        {
            var result = await events.FanOutAsync(message.Body.ToString(), message.MessageId, message.DequeueCount, scheduler, cancellationToken);
            return result.RetryAt is { } retryAt ? MessageOutcome.RetryAfter(retryAt - clock.GetUtcNow()) : MessageOutcome.Complete;
        }
        catch (ValidationException invalid)
        {
            await PoisonAsync(message, "The event is invalid: " + string.Join(" ", invalid.Errors.Select(f => $"{f.Key} {string.Join(" ", f.Value)}")), invalid.Errors, cancellationToken);
            return MessageOutcome.Complete;
        }
    }

    private async Task PoisonAsync(QueueMessage message, string reason, IReadOnlyDictionary<string, string[]>? errors, CancellationToken cancellationToken) =>
        await poison.MoveAsync(await queues.EventsPoisonAsync(cancellationToken), storage.Value.EventsQueue, message, reason, errors, cancellationToken);
}
