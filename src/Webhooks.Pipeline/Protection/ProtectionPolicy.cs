namespace Webhooks.Protection;

/// <summary>
/// Settings section <c>Webhooks:Protection</c>: how fast an endpoint is sent to, how it is slowed
/// when it says it is overwhelmed (429, 503) and when its circuit opens because it is down.
/// </summary>
public sealed class ProtectionPolicy
{
    public const string Section = "Webhooks:Protection";

    /// <summary>Deliveries per second for webhooks without a <c>rateLimit</c> of their own; null: no limit.</summary>
    public int? DefaultRateLimit { get; set; }

    /// <summary>The highest <c>rateLimit</c> a webhook may carry.</summary>
    public int MaxRateLimit { get; set; } = 1000;

    /// <summary>
    /// How early a send may go before its turn at the rate: what absorbs the jitter of queue
    /// visibility and durable timers. Over a window of W seconds an endpoint receives at most
    /// rate × (W + tolerance) + 1 deliveries: 5% over its limit across 10 s at the default.
    /// </summary>
    public TimeSpan RateTolerance { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether 429 and 503 answers slow the whole endpoint down (and <c>Retry-After</c> pauses it).</summary>
    public bool AdaptiveSlowDown { get; set; } = true;

    /// <summary>What a 429 or 503 multiplies the endpoint's effective rate by (multiplicative decrease).</summary>
    public double SlowDownFactor { get; set; } = 0.5;

    /// <summary>Deliveries per second a success adds back to a slowed endpoint's rate (additive increase), up to its limit.</summary>
    public double SpeedUpStep { get; set; } = 1;

    /// <summary>The rate an endpoint without a limit is first held to when it answers 429 or 503.</summary>
    public double ThrottledStartRate { get; set; } = 10;

    /// <summary>The lowest rate slowing down goes to.</summary>
    public double MinRate { get; set; } = 0.2;

    /// <summary>The longest a <c>Retry-After</c> pauses a whole endpoint.</summary>
    public TimeSpan LongestPause { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Consecutive connection failures, timeouts or 5xx that open an endpoint's circuit; 0 turns the breaker off.</summary>
    public int CircuitThreshold { get; set; } = 10;

    /// <summary>How long after the circuit opens the first probe is sent; each failed probe doubles the wait.</summary>
    public TimeSpan FirstProbeAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two probes of an open circuit.</summary>
    public TimeSpan LongestProbeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a probe may be out before another one may go (its sender may have stopped without an answer).</summary>
    public TimeSpan ProbeLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an endpoint's state read by one host is trusted for deliveries that it lets through
    /// unrestricted (no limit, circuit closed): how soon a circuit opened by another host is seen.
    /// </summary>
    public TimeSpan StateRefresh { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The window held deliveries are spread over when they are released together (a circuit's probe time, a pause's end).</summary>
    public TimeSpan ReleaseSpread { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The rate a webhook is held to: its own limit, else the default; capped by the maximum; null for none.</summary>
    public int? LimitOf(int? webhookLimit) => (webhookLimit ?? DefaultRateLimit) is { } limit ? Math.Min(limit, MaxRateLimit) : null;

    public bool IsValid() =>
        DefaultRateLimit is null or > 0 && MaxRateLimit > 0
        && SlowDownFactor is > 0 and < 1 && SpeedUpStep > 0 && ThrottledStartRate > 0 && MinRate > 0
        && LongestPause >= TimeSpan.Zero && CircuitThreshold >= 0
        && FirstProbeAfter > TimeSpan.Zero && LongestProbeInterval >= FirstProbeAfter && ProbeLease > TimeSpan.Zero
        && RateTolerance >= TimeSpan.Zero && StateRefresh >= TimeSpan.Zero && ReleaseSpread >= TimeSpan.Zero;
}
