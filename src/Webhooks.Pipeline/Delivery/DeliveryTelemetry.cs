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
    private readonly Counter<long> concluded;
    private readonly Counter<long> fannedOut;
    private readonly Counter<long> poisoned;
    private readonly Counter<long> invalid;
    private readonly Counter<long> disabled;

    public DeliveryTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        attempts = meter.CreateCounter<long>("webhooks.delivery.attempts", description: "Delivery attempts, by result (success, failure, no_response).");
        attemptDuration = meter.CreateHistogram<double>("webhooks.delivery.attempt.duration", unit: "s", description: "How long endpoints took to answer.");
        concluded = meter.CreateCounter<long>("webhooks.delivery.concluded", description: "Deliveries that ended, by status (succeeded, failed, exhausted).");
        fannedOut = meter.CreateCounter<long>("webhooks.deliveries.created", description: "Deliveries created by fanning events out.");
        poisoned = meter.CreateCounter<long>("webhooks.messages.poisoned", description: "Queue messages moved to a poison queue by the standalone host, by queue.");
        invalid = meter.CreateCounter<long>("webhooks.events.invalid", description: "Queued events refused as invalid (each time one is seen: the Functions trigger retries before poisoning).");
        disabled = meter.CreateCounter<long>("webhooks.webhooks.disabled", description: "Webhooks disabled automatically, by reason.");
    }

    public void Attempted(AttemptOutcome outcome, TimeSpan duration)
    {
        var result = outcome.IsSuccess ? "success" : outcome.StatusCode is null ? "no_response" : "failure";
        attempts.Add(1, new KeyValuePair<string, object?>("result", result));
        attemptDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("result", result));
    }

    public void Concluded(string status) => concluded.Add(1, new KeyValuePair<string, object?>("status", status));

    public void EventFannedOut(int deliveries) => fannedOut.Add(deliveries);

    public void Poisoned(string queue) => poisoned.Add(1, new KeyValuePair<string, object?>("queue", queue));

    public void EventRefused() => invalid.Add(1);

    public void WebhookDisabled(string reason) => disabled.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
