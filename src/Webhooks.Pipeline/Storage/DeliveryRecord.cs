namespace Webhooks.Storage;

/// <summary>The summary row of one delivery (an event sent to one webhook).</summary>
public sealed record DeliveryRecord
{
    public required string OrganizationId { get; init; }
    public required string WebhookId { get; init; }
    public required string DeliveryId { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required DeliveryStatus Status { get; init; }
    public int AttemptCount { get; init; }
    public int? LastStatusCode { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    Pending,
    Succeeded,
    Failed,
    Exhausted,
}
