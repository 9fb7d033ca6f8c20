using Microsoft.Extensions.Logging;
using Webhooks.Delivery;
using Webhooks.Management;
using Webhooks.Storage;

namespace Webhooks.Ingestion;

/// <summary>
/// A message of the events queue, the same in both hosts: its text decoded (base64 or plain JSON),
/// the event checked, then fanned out. A malformed event throws <see cref="ValidationException"/>
/// after its reason is logged: the standalone host moves it to the poison queue at once, the
/// Functions trigger after its dequeue limit.
/// </summary>
public sealed partial class QueuedEvents(EventEnvelopeReader reader, EventFanOut fanOut, DeliveryTelemetry telemetry, ILogger<QueuedEvents> logger)
{
    public async Task<FanOutResult> FanOutAsync(string messageText, string messageId, long dequeueCount, IDeliveryScheduler scheduler, CancellationToken cancellationToken)
    {
        WebhookEvent e;
        try
        {
            e = reader.Read(QueueMessageText.Decode(messageText));
        }
        catch (ValidationException invalid)
        {
            telemetry.EventRefused();
            LogInvalid(messageId, invalid.Message);
            throw;
        }
        return await fanOut.FanOutAsync(e, scheduler, messageId, seenBefore: dequeueCount > 1, cancellationToken);
    }

    [LoggerMessage(2004, LogLevel.Warning, "Queue message {MessageId} is not a valid event and goes to the poison queue: {Reason}")]
    private partial void LogInvalid(string messageId, string reason);
}
