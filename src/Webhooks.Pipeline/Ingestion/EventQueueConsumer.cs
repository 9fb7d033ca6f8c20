using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Storage;
using Webhooks.Tracing;

namespace Webhooks.Ingestion;

/// <summary>
/// A message of the events queue, the same in both hosts: its text decoded (base64 or plain JSON),
/// the event checked, then fanned out. A malformed event is bad input, not a failure: it goes to the
/// poison queue with its reason on its first try, in both hosts, and the message is done.
/// </summary>
public sealed partial class EventQueueConsumer(
    EventEnvelopeReader reader,
    EventFanOut fanOut,
    PoisonMessages poison,
    QueueProvider queues,
    IOptions<StorageOptions> storage,
    DeliveryTelemetry telemetry,
    ILogger<EventQueueConsumer> logger)
{
    public async Task<FanOutResult> FanOutAsync(QueueMessage message, IDeliveryScheduler scheduler, CancellationToken cancellationToken)
    {
        WebhookEvent e;
        try
        {
            e = reader.Read(QueueMessageText.Decode(message.Body.ToString()));
        }
        catch (ValidationException invalid)
        {
            telemetry.EventRefused();
            LogInvalid(message.MessageId, TextCut.Bounded(invalid.Message, PoisonMessages.MaxLoggedReasonChars));
            await PoisonAsync(message, "The event is invalid: " + string.Join(" ", invalid.Errors.Select(f => $"{f.Key} {string.Join(" ", f.Value)}")), invalid.Errors, cancellationToken);
            return FanOutResult.Poisoned;
        }
        using var receiving = PipelineTracing.Receiving(e.Id, e.Type, e.Organization.Id, storage.Value.EventsQueue, message.MessageId, message.DequeueCount, e.TraceParent);
        return await fanOut.FanOutAsync(e, scheduler, message.MessageId, seenBefore: message.DequeueCount > 1, cancellationToken, message.InsertedOn);
    }

    /// <summary>Moves a message of the events queue to its poison queue with the reason.</summary>
    public async Task PoisonAsync(QueueMessage message, string reason, IReadOnlyDictionary<string, string[]>? errors, CancellationToken cancellationToken) =>
        await poison.MoveAsync(await queues.EventsPoisonAsync(cancellationToken), storage.Value.EventsQueue, message, reason, errors, cancellationToken);

    [LoggerMessage(2004, LogLevel.Warning, "Queue message {MessageId} is not a valid event and goes to the poison queue: {Reason}")]
    private partial void LogInvalid(string messageId, string reason);
}
