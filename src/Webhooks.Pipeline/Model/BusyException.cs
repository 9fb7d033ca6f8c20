namespace Webhooks.Model;

/// <summary>
/// A request that could not be carried out now but may succeed if repeated (a webhook changed by
/// too many writers at once): answered 503 with <see cref="RetryAfter"/>, never 412, since the
/// caller's own preconditions held.
/// </summary>
public sealed class BusyException(string message, TimeSpan retryAfter, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
