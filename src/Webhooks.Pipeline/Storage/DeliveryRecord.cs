namespace Webhooks.Storage;

/// <summary>
/// One delivery (an event sent to one webhook): its history summary and, for the drivers, where it
/// stands in its current run. A resend starts a new run of the same delivery id.
/// </summary>
public sealed record DeliveryRecord
{
    public required string OrganizationId { get; init; }
    public required string WebhookId { get; init; }
    public required string DeliveryId { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required DeliveryStatus Status { get; init; }

    /// <summary>Attempts made over every run.</summary>
    public int AttemptCount { get; init; }

    public int? LastStatusCode { get; init; }

    /// <summary>How long the latest attempt took (null before the first, and on rows written before it was recorded).</summary>
    public TimeSpan? LastDuration { get; init; }

    /// <summary>Why the delivery ended without success (exhausted, gone, webhook disabled, destination not allowed).</summary>
    public string? FailureReason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the event's message was put on the events queue (null when the delivery did not come from it: a test ping), for the latency metrics.</summary>
    public DateTimeOffset? EnqueuedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the next attempt of a pending delivery is due (null once it concluded, or when an orchestrator keeps the schedule).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>1 for the first run, one more for each resend; attempt numbers in the retry schedule count within a run.</summary>
    public int Run { get; init; } = 1;

    /// <summary>Attempts made in the current run.</summary>
    public int RunAttempt { get; init; }

    /// <summary>When the current run began: how long an exhausted run has been failing.</summary>
    public required DateTimeOffset RunStartedAt { get; init; }

    /// <summary>Who may run the next attempt until <see cref="LeaseUntil"/>: the id of the queue message processing it (standalone host).</summary>
    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>The queue message that recorded the latest attempt: it alone re-schedules the next step if it comes back.</summary>
    public string? ScheduledBy { get; init; }

    /// <summary>The event envelope, stored with the delivery so retries and resends have it (null when not read).</summary>
    public byte[]? Event { get; init; }

    /// <summary>The storage version of the row; writes of a driver are conditional on it.</summary>
    public string ETag { get; init; } = "";

    public DeliveryKey Key => new(OrganizationId, WebhookId, DeliveryId);

    /// <summary>A delivery of <paramref name="eventId"/> to <paramref name="webhookId"/>, recorded before it is started.</summary>
    public static DeliveryRecord Pending(string organizationId, string webhookId, string eventId, string eventType, byte[] storedEvent, DateTimeOffset now, DateTimeOffset? enqueuedAt = null) => new()
    {
        OrganizationId = organizationId,
        WebhookId = webhookId,
        DeliveryId = Model.ResourceIds.DeliveryId(organizationId, eventId, webhookId),
        EventId = eventId,
        EventType = eventType,
        Status = DeliveryStatus.Pending,
        CreatedAt = now,
        EnqueuedAt = enqueuedAt,
        RunStartedAt = now,
        NextAttemptAt = now,
        Event = storedEvent,
    };

    public bool IsConcluded => Status != DeliveryStatus.Pending;

    /// <summary>Whether a live lease other than <paramref name="claim"/> holds the delivery at <paramref name="now"/>.</summary>
    public bool IsHeldByAnother(DateTimeOffset now, string? claim = null) =>
        LeaseUntil is { } until && until > now && (claim is null || claim != LeaseOwner);

    /// <summary>This delivery, held by <paramref name="hold"/>'s owner from <paramref name="now"/>.</summary>
    public DeliveryRecord HeldBy(DeliveryHold hold, DateTimeOffset now) => this with { LeaseOwner = hold.Owner, LeaseUntil = now + hold.Duration };
}

/// <summary>A runner's claim on the delivery rows it creates: who holds them, and for how long.</summary>
public sealed record DeliveryHold(string Owner, TimeSpan Duration);

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    Pending,
    Succeeded,
    Failed,
    Exhausted,
}

/// <summary>What locates a delivery: it lives in its webhook's history partition.</summary>
public sealed record DeliveryKey(string OrganizationId, string WebhookId, string DeliveryId);
