namespace Webhooks.Tracing;

/// <summary>The attributes of the pipeline's spans: OpenTelemetry's semantic conventions where one exists, <c>webhooks.*</c> otherwise.</summary>
public static class TraceTags
{
    public const string MessagingOperation = "messaging.operation.type";
    public const string Destination = "messaging.destination.name";
    public const string MessageId = "messaging.message.id";
    public const string DeliveryCount = "messaging.azure_queue.dequeue_count";
    public const string HttpMethod = "http.request.method";
    public const string HttpStatus = "http.response.status_code";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";
    public const string EventId = "webhooks.event.id";
    public const string EventType = "webhooks.event.type";
    public const string OrganizationId = "webhooks.organization.id";
    public const string Webhooks = "webhooks.fan_out.webhooks";
    public const string DeliveryId = "webhooks.delivery.id";
    public const string WebhookId = "webhooks.webhook.id";
    public const string WebhookType = "webhooks.webhook.type";
    public const string Run = "webhooks.delivery.run";
    public const string Attempt = "webhooks.delivery.attempt";
    public const string Probe = "webhooks.delivery.probe";
    public const string Outcome = "webhooks.attempt.outcome";
    public const string Decision = "webhooks.delivery.decision";
    public const string WaitReason = "webhooks.wait.reason";
    public const string DeliveryStatus = "webhooks.delivery.status";

    /// <summary>On the delivery pass that made the first attempt: seconds since the event was queued (percentiles come from spans; the histograms reach Application Insights without buckets).</summary>
    public const string TimeToFirstAttempt = "webhooks.delivery.time_to_first_attempt";

    /// <summary>On the delivery pass that succeeded: seconds since the event was queued.</summary>
    public const string TimeToSuccess = "webhooks.delivery.time_to_success";
}
