using System.Diagnostics;
using Webhooks.Events;
using Webhooks.Tracing;

namespace Webhooks.Storage;

/// <summary>
/// The producer client: puts an event on the events queue, base64-encoded as the Functions queue
/// trigger expects. It checks the event with the same rules as the consumer first, so a bad event
/// fails in the producer's hands instead of in the poison queue. The envelope carries the
/// <c>traceparent</c> of its publish span (or of the caller's span), so the pipeline continues that trace.
/// </summary>
public sealed class EventPublisher(QueueProvider queues, EventEnvelopeReader reader)
{
    /// <summary>Publishes <paramref name="e"/>; returns the queue message id and the trace the pipeline continues.</summary>
    public async Task<PublishedEvent> PublishAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        var queue = await queues.EventsAsync(cancellationToken);
        using var publishing = PipelineTracing.Publishing(e.Id, e.Type, e.Organization.Id, queue.Name, e.TraceParent);
        // Without a span of its own (nothing listens in this process), the event starts a trace for the pipeline to continue.
        var traceParent = PipelineTracing.TraceParentOf(publishing ?? Activity.Current) ?? e.TraceParent ?? PipelineTracing.NewTraceParent();
        var body = EventEnvelopeWriter.Write(e with { TraceParent = traceParent });
        if (body.Length > EventEnvelopeReader.MaxEventBytes)
        {
            // An event at the size limit has no room for the trace context: it goes without rather than not at all.
            body = EventEnvelopeWriter.Write(e);
            traceParent = e.TraceParent;
        }
        reader.Read(body);
        var receipt = await queue.SendMessageAsync(QueueMessageText.Encode(body), cancellationToken);
        return new PublishedEvent(receipt.Value.MessageId, traceParent);
    }
}

/// <summary>An event on the queue: its message id, and the <c>traceparent</c> its envelope carries (null only when an event at the size limit had no room for one).</summary>
public sealed record PublishedEvent(string MessageId, string? TraceParent);
