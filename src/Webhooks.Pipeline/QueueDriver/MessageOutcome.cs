namespace Webhooks.QueueDriver;

/// <summary>What to do with a message after handling it: delete it, or hide it again (optionally with new content).</summary>
public sealed record MessageOutcome(bool Delete, TimeSpan HideFor, string? NewContent = null)
{
    /// <summary>Everything the message caused is recorded or enqueued: it may go.</summary>
    public static MessageOutcome Complete { get; } = new(true, TimeSpan.Zero);

    public static MessageOutcome RetryAfter(TimeSpan delay, string? newContent = null) => new(false, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, newContent);
}
