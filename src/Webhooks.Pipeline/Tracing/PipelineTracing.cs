using System.Diagnostics;
using Webhooks.Model;

namespace Webhooks.Tracing;

/// <summary>
/// The pipeline's spans (source <c>Webhooks.Pipeline</c>), one trace per event from the producer to
/// each attempt: publish (producer), receive (consumer, continuing the envelope's <c>traceparent</c>),
/// fan-out, each delivery pass, its attempt (client), the wait it is put to, and the conclusion.
/// Attributes name ids, the endpoint's host and status codes; never a URL's path or query, a secret,
/// a header value or a body.
/// </summary>
public static class PipelineTracing
{
    public const string SourceName = "Webhooks.Pipeline";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>An event put on the events queue by the producer client.</summary>
    public static Activity? Publishing(string eventId, string eventType, string organizationId, string queue, string? traceParent)
    {
        var activity = Source.StartActivity("webhooks.event publish", ActivityKind.Producer, Activity.Current?.Context ?? ParentOf(traceParent));
        return activity?.SetTag(TraceTags.MessagingOperation, "publish").SetTag(TraceTags.Destination, queue).WithEvent(eventId, eventType, organizationId);
    }

    /// <summary>An event taken from the events queue, continuing the trace its producer started.</summary>
    public static Activity? Receiving(string eventId, string eventType, string organizationId, string queue, string messageId, long dequeueCount, string? traceParent)
    {
        var activity = Source.StartActivity("webhooks.event receive", ActivityKind.Consumer, ParentOf(traceParent));
        return activity?.SetTag(TraceTags.MessagingOperation, "process").SetTag(TraceTags.Destination, queue).SetTag(TraceTags.MessageId, messageId)
            .SetTag(TraceTags.DeliveryCount, dequeueCount).WithEvent(eventId, eventType, organizationId);
    }

    /// <summary>An event fanned out to its organization's matching webhooks (<see cref="TraceTags.Webhooks"/> set when known).</summary>
    public static Activity? FanningOut(string eventId, string organizationId) =>
        Source.StartActivity("webhooks.event fan_out")?.SetTag(TraceTags.EventId, eventId).SetTag(TraceTags.OrganizationId, organizationId);

    /// <summary>One pass of a delivery through the attempt runner: admission, attempt, record, conclusion; under the trace of the event it delivers.</summary>
    public static Activity? Delivering(string deliveryId, string webhookId, string organizationId, int run, int attempt, string? traceParent)
    {
        var activity = Source.StartActivity("webhooks.delivery", ActivityKind.Internal, WithinTrace(traceParent));
        return activity?.SetTag(TraceTags.DeliveryId, deliveryId).SetTag(TraceTags.WebhookId, webhookId).SetTag(TraceTags.OrganizationId, organizationId)
            .SetTag(TraceTags.Run, run).SetTag(TraceTags.Attempt, attempt);
    }

    /// <summary>The HTTP request of an attempt; the endpoint is named by its host only.</summary>
    public static Activity? Attempting(Uri url, string webhookType, bool probe)
    {
        var activity = Source.StartActivity("webhooks.delivery.attempt", ActivityKind.Client);
        return activity?.SetTag(TraceTags.HttpMethod, "POST").SetTag(TraceTags.ServerAddress, url.Host).SetTag(TraceTags.ServerPort, url.Port)
            .SetTag(TraceTags.WebhookType, webhookType).SetTag(TraceTags.Probe, probe);
    }

    /// <summary>What the endpoint answered, without the error's text (it may quote a chat webhook's URL).</summary>
    public static void Answered(Activity? attempt, AttemptOutcome outcome)
    {
        if (attempt is null)
        {
            return;
        }
        attempt.SetTag(TraceTags.Outcome, outcome.Result);
        if (outcome.StatusCode is { } status)
        {
            attempt.SetTag(TraceTags.HttpStatus, status);
        }
        if (!outcome.IsSuccess)
        {
            var error = outcome.DestinationRefused ? "destination_refused" : outcome.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no_response";
            attempt.SetTag(TraceTags.ErrorType, error).SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>
    /// The wait a delivery is put to (a retry's delay, or a hold by its endpoint's protection), as a
    /// span from now to when it is due: recorded when it is decided, since no process is there while it lasts.
    /// </summary>
    public static void Waited(string reason, DateTimeOffset from, DateTimeOffset until)
    {
        using var activity = Source.StartActivity("webhooks.delivery.wait", ActivityKind.Internal, default(ActivityContext), startTime: from);
        activity?.SetTag(TraceTags.WaitReason, reason).SetEndTime(until.UtcDateTime);
    }

    /// <summary>A delivery's end applied: its status, and whether it disabled the webhook.</summary>
    public static Activity? Concluding(string deliveryId, string status) =>
        Source.StartActivity("webhooks.delivery.conclude")?.SetTag(TraceTags.DeliveryId, deliveryId).SetTag(TraceTags.DeliveryStatus, status);

    /// <summary>The span's W3C <c>traceparent</c>, to carry across a queue.</summary>
    public static string? TraceParentOf(Activity? activity) => activity?.IdFormat == ActivityIdFormat.W3C ? activity.Id : null;

    /// <summary>A new trace's <c>traceparent</c>, sampled, for an event whose producer traces nothing.</summary>
    public static string NewTraceParent() => $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01";

    /// <summary>Whether <paramref name="traceParent"/> is a W3C <c>traceparent</c> (version 00, non-zero ids).</summary>
    public static bool IsValidTraceParent(string traceParent) =>
        traceParent.Length == 55 && traceParent.StartsWith("00-", StringComparison.Ordinal) && traceParent[35] == '-' && traceParent[52] == '-'
        && ActivityContext.TryParse(traceParent, null, out _);

    /// <summary>
    /// The current span when it belongs to the delivery's trace (the fan-out inline, a Durable activity the
    /// orchestration continued it to), else the stored context: a host's own span of another trace (a trigger's)
    /// must not pull the delivery out of its event's trace.
    /// </summary>
    private static ActivityContext WithinTrace(string? traceParent)
    {
        var stored = ParentOf(traceParent);
        return Activity.Current is { } current && (stored == default || current.TraceId == stored.TraceId) ? current.Context : stored;
    }

    private static ActivityContext ParentOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent) ? parent : default;

    private static Activity WithEvent(this Activity activity, string eventId, string eventType, string organizationId) =>
        activity.SetTag(TraceTags.EventId, eventId).SetTag(TraceTags.EventType, eventType).SetTag(TraceTags.OrganizationId, organizationId);
}
