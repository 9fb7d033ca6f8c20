using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>Puts delivery steps on the delivery queue; the backoff timer is the message's visibility delay.</summary>
public sealed class StepSender(QueueProvider queues, TimeProvider clock)
{
    /// <summary>Messages wait as long as a delivery does: never expiring, unlike the queue's 7-day default.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    public async Task EnqueueAsync(StepMessage step, DateTimeOffset visibleAt, CancellationToken cancellationToken)
    {
        var queue = await queues.DeliveriesAsync(cancellationToken);
        await queue.SendMessageAsync(step.Encode(), DelayUntil(visibleAt), NeverExpires, cancellationToken);
    }

    /// <summary>Puts a step the endpoint's protection held back on the queue, to run at its turn.</summary>
    public async Task EnqueueHeldAsync(StepMessage step, DateTimeOffset turn, CancellationToken cancellationToken)
    {
        var queue = await queues.DeliveriesAsync(cancellationToken);
        var (held, hideFor) = step.HeldUntil(turn, clock.GetUtcNow());
        await queue.SendMessageAsync(held.Encode(), hideFor, NeverExpires, cancellationToken);
    }

    /// <summary>Follows an attempt of <paramref name="delivery"/>: its next step, when one is due; nothing when the run ended or is no longer this runner's.</summary>
    public Task FollowAsync(DeliveryRecord delivery, AttemptResult result, CancellationToken cancellationToken) => result switch
    {
        { FollowUp: AttemptFollowUp.Wait, WaitUntil: { } until, NextAttempt: { } next } => EnqueueAsync(StepMessage.For(delivery, next), until, cancellationToken),
        { FollowUp: AttemptFollowUp.Held, WaitUntil: { } turn, NextAttempt: { } same } => EnqueueHeldAsync(StepMessage.For(delivery, same), turn, cancellationToken),
        _ => Task.CompletedTask,
    };

    /// <summary>The visibility delay that makes a message appear at <paramref name="visibleAt"/>, within what a queue allows.</summary>
    public TimeSpan DelayUntil(DateTimeOffset visibleAt) => WholeSeconds(visibleAt - clock.GetUtcNow());

    /// <summary>
    /// Queues count visibility in whole seconds and the SDK drops the fraction, which would show a
    /// message early; rounding up never does. Clamped to what a queue allows.
    /// </summary>
    public static TimeSpan WholeSeconds(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? TimeSpan.Zero
        : delay >= RetryPolicy.LongestDelay ? RetryPolicy.LongestDelay
        : TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));
}
