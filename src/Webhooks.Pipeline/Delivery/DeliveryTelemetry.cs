using System.Diagnostics.Metrics;
using Webhooks.Model;

namespace Webhooks.Delivery;

/// <summary>
/// The pipeline's metrics (meter <c>Webhooks.Pipeline</c>), exported by OpenTelemetry to Application
/// Insights in Azure: attempts and their duration, concluded deliveries, events, poison messages and
/// automatic disables (the alert rule watches the last two).
/// </summary>
public sealed class DeliveryTelemetry
{
    public const string MeterName = "Webhooks.Pipeline";

    private readonly Counter<long> attempts;
    private readonly Histogram<double> attemptDuration;
    private readonly Histogram<double> toFirstAttempt;
    private readonly Histogram<double> toSuccess;
    private readonly Counter<long> concluded;
    private readonly Counter<long> fannedOut;
    private readonly Counter<long> poisoned;
    private readonly Counter<long> invalid;
    private readonly Counter<long> disabled;

    public DeliveryTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        attempts = meter.CreateCounter<long>("webhooks.delivery.attempts", unit: "{attempt}", description: "Delivery attempts, by result (success, failure, no_response) and webhook type (generic, slack, teams, discord).");
        attemptDuration = meter.CreateHistogram<double>("webhooks.delivery.attempt.duration", unit: "s", description: "How long endpoints took to answer, by result and webhook type.");
        toFirstAttempt = meter.CreateHistogram<double>("webhooks.delivery.time_to_first_attempt", unit: "s", description: "From the event's message entering the events queue to its delivery's first attempt, by webhook type.");
        toSuccess = meter.CreateHistogram<double>("webhooks.delivery.time_to_success", unit: "s", description: "From the event's message entering the events queue to its delivery's success, retries included, by webhook type.");
        concluded = meter.CreateCounter<long>("webhooks.delivery.concluded", unit: "{delivery}", description: "Deliveries that ended, by status (succeeded, failed, exhausted).");
        fannedOut = meter.CreateCounter<long>("webhooks.deliveries.created", unit: "{delivery}", description: "Deliveries created by fanning events out.");
        poisoned = meter.CreateCounter<long>("webhooks.messages.poisoned", unit: "{message}", description: "Queue messages moved to a poison queue by the standalone host, by queue.");
        invalid = meter.CreateCounter<long>("webhooks.events.invalid", unit: "{event}", description: "Queued events refused as invalid (each time one is seen: the Functions trigger retries before poisoning).");
        disabled = meter.CreateCounter<long>("webhooks.webhooks.disabled", unit: "{webhook}", description: "Webhooks disabled automatically, by reason.");
    }

    public void Attempted(AttemptOutcome outcome, TimeSpan duration, WebhookType type)
    {
        var result = new KeyValuePair<string, object?>("result", outcome.Result);
        var webhookType = TypeOf(type);
        attempts.Add(1, result, webhookType);
        attemptDuration.Record(duration.TotalSeconds, result, webhookType);
    }

    /// <summary>A delivery's first attempt was sent, <paramref name="sinceEnqueued"/> after its event was queued.</summary>
    public void FirstAttempted(TimeSpan sinceEnqueued, WebhookType type) => toFirstAttempt.Record(sinceEnqueued.TotalSeconds, TypeOf(type));

    /// <summary>A delivery succeeded, <paramref name="sinceEnqueued"/> after its event was queued.</summary>
    public void Succeeded(TimeSpan sinceEnqueued, WebhookType type) => toSuccess.Record(sinceEnqueued.TotalSeconds, TypeOf(type));

    private static KeyValuePair<string, object?> TypeOf(WebhookType type) => new("webhook.type", WireNames.Of(type));

    public void Concluded(string status) => concluded.Add(1, new KeyValuePair<string, object?>("status", status));

    public void EventFannedOut(int deliveries) => fannedOut.Add(deliveries);

    public void Poisoned(string queue) => poisoned.Add(1, new KeyValuePair<string, object?>("queue", queue));

    public void EventRefused() => invalid.Add(1);

    public void WebhookDisabled(string reason) => disabled.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
