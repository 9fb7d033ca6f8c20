namespace Webhooks.Delivery;

/// <summary>Settings section <c>Webhooks:Retry</c>: when a delivery is attempted and when it gives up.</summary>
public sealed class RetryPolicy
{
    public const string Section = "Webhooks:Retry";

    /// <summary>The longest single wait: a storage queue message can be hidden for at most 7 days.</summary>
    public static readonly TimeSpan LongestDelay = TimeSpan.FromDays(7);

    /// <summary>
    /// The delay before each attempt, the first one included: immediately, then 5 s, 5 min, 30 min,
    /// 2 h, 5 h, 10 h, 10 h. Its length is the number of attempts. A configured schedule replaces
    /// this one (it is not appended to it).
    /// </summary>
    public List<TimeSpan> Schedule { get; set; } =
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    /// <summary>How far each delay may be moved either way (0.2 = ±20%), so retries of many deliveries spread out.</summary>
    public double JitterFraction { get; set; } = 0.2;

    /// <summary>The longest a <c>Retry-After</c> on 429 or 503 may hold the next attempt back.</summary>
    public TimeSpan RetryAfterCap { get; set; } = TimeSpan.FromHours(1);

    public int MaxAttempts => Schedule.Count;

    /// <summary>Whether the policy can be followed: some attempts, no negative or over-long wait, jitter below 100%.</summary>
    public bool IsValid() =>
        Schedule.Count > 0
        && Schedule.All(d => d >= TimeSpan.Zero && d * (1 + JitterFraction) <= LongestDelay)
        && JitterFraction is >= 0 and < 1
        && RetryAfterCap >= TimeSpan.Zero && RetryAfterCap <= LongestDelay;
}
