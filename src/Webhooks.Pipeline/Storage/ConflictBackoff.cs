namespace Webhooks.Storage;

/// <summary>
/// How writers that lost an optimistic-concurrency race wait before trying again, and what a caller
/// is told when they lose every time (503 with <see cref="RetryAfter"/>).
/// </summary>
internal static class ConflictBackoff
{
    // Random up to base × 2^attempt, at most the cap ("full jitter"), so writers that collided
    // spread out instead of colliding again in lockstep.
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(400);

    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Waits before attempt <paramref name="attempt"/> + 1.</summary>
    public static Task DelayAsync(int attempt, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(Cap.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        // Wall-clock time, not the injected clock: this waits out other writers, it is not business time.
        return Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), cancellationToken);
    }
}
