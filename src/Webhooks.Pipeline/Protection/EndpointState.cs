namespace Webhooks.Protection;

/// <summary>
/// What the pipeline knows of one webhook's endpoint, shared by every host through one table row:
/// the rate limiter's schedule, how far the endpoint slowed it down, and its circuit. Written only
/// conditionally on <see cref="ETag"/>, so hosts never overwrite each other's decisions.
/// </summary>
public sealed record EndpointState
{
    public required string OrganizationId { get; init; }
    public required string WebhookId { get; init; }

    /// <summary>When the next delivery conforms to the rate (the theoretical arrival time of a generic cell rate algorithm).</summary>
    public DateTimeOffset? NextSendAt { get; init; }

    /// <summary>The last wake-up handed to a held delivery: the next one held is woken one interval after it, so they come back in line rather than all at once.</summary>
    public DateTimeOffset? LastWakeAt { get; init; }

    /// <summary>The rate (deliveries per second) the endpoint slowed itself down to by answering 429 or 503; null when it runs at its limit.</summary>
    public double? SlowedRate { get; init; }

    /// <summary>When the rate was last cut: one cut per interval, so a burst of 429s in flight together counts once.</summary>
    public DateTimeOffset? SlowedAt { get; init; }

    /// <summary>Until when a <c>Retry-After</c> paused every delivery to the endpoint.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>Connection failures, timeouts and 5xx in a row, without an answer in between.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>When the circuit opened; null while it is closed.</summary>
    public DateTimeOffset? CircuitOpenedAt { get; init; }

    /// <summary>When the open circuit's next probe may go.</summary>
    public DateTimeOffset? NextProbeAt { get; init; }

    /// <summary>The wait before the probe after the next one, doubled by each failed probe.</summary>
    public TimeSpan? ProbeInterval { get; init; }

    /// <summary>Until when a probe is out: no other probe goes before its answer, or before this time if its sender stopped.</summary>
    public DateTimeOffset? ProbeOutUntil { get; init; }

    public string ETag { get; init; } = "";

    public bool CircuitOpen => CircuitOpenedAt is not null;

    public static EndpointState Fresh(string organizationId, string webhookId) => new() { OrganizationId = organizationId, WebhookId = webhookId };
}
