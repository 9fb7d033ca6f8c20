namespace Webhooks.Protection;

/// <summary>The gate's answer to "may this delivery be sent now?": send (perhaps as the open circuit's probe), or not before <see cref="NotBefore"/>.</summary>
public sealed record Admission(DateTimeOffset? NotBefore, HoldReason? Reason, bool Probe)
{
    public static Admission Send { get; } = new(null, null, false);

    public static Admission AsProbe { get; } = new(null, null, true);

    public static Admission Hold(DateTimeOffset until, HoldReason reason) => new(until, reason, false);

    public bool Admitted => NotBefore is null;
}

/// <summary>Why a delivery waits without being sent.</summary>
public enum HoldReason
{
    /// <summary>The endpoint's rate (its limit, or the slower rate its 429s set) has no room before then.</summary>
    RateLimit,
    /// <summary>The endpoint asked for a pause with <c>Retry-After</c>.</summary>
    RetryAfter,
    /// <summary>The endpoint is down: its circuit is open, and only probes go.</summary>
    CircuitOpen,
}
