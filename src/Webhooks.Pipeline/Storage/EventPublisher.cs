using Webhooks.Events;

namespace Webhooks.Storage;

/// <summary>
/// The producer client: puts an event on the events queue, base64-encoded as the Functions queue
/// trigger expects. It checks the event with the same rules as the consumer first, so a bad event
/// fails in the producer's hands instead of in the poison queue.
/// </summary>
public sealed class EventPublisher(QueueProvider queues, EventEnvelopeReader reader)
{
    /// <summary>Publishes <paramref name="e"/>; returns the queue message id.</summary>
    public async Task<string> PublishAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        var body = EventEnvelopeWriter.Write(e);
        reader.Read(body);
        var queue = await queues.EventsAsync(cancellationToken);
        var receipt = await queue.SendMessageAsync(QueueMessageText.Encode(body), cancellationToken);
        return receipt.Value.MessageId;
    }
}
