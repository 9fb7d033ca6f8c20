using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Protection;
using Webhooks.Storage;

namespace Webhooks.Delivery;

/// <summary>
/// What a driver asks of <see cref="AttemptRunner.AttemptAsync"/>: attempt <paramref name="Attempt"/>
/// (1-based, within run <paramref name="Run"/>) of the delivery at <paramref name="Key"/>, decided with
/// <paramref name="Policy"/>. A driver that has just claimed the delivery hands in what it holds
/// (<see cref="InHand"/>) and the row is not read again; one that holds nothing gets the row read, and
/// an attempt that row already records is not sent again.
/// </summary>
public sealed record AttemptOrder(DeliveryKey Key, int Run, int Attempt, RetryPolicy Policy)
{
    /// <summary>The delivery as the caller's claim left it (its ETag current), with its webhook and event when known.</summary>
    public DeliveryInHand? InHand { get; init; }

    /// <summary>The id of the queue message whose processing runs the attempt, recorded on the row so it can finish what it leaves undone.</summary>
    public string? ScheduledBy { get; init; }

    /// <summary>The endpoint gate's admission, when the driver asked it before claiming the delivery; null: the attempt asks it.</summary>
    public Admission? Admitted { get; init; }

    /// <summary>The next attempt of a delivery the caller has claimed.</summary>
    public static AttemptOrder Next(DeliveryInHand inHand, RetryPolicy policy, string? scheduledBy) =>
        new(inHand.Delivery.Key, inHand.Delivery.Run, inHand.Delivery.RunAttempt + 1, policy) { InHand = inHand, ScheduledBy = scheduledBy };
}

/// <summary>A claimed delivery, and its webhook and event when the caller has them already (null: read or decoded when needed).</summary>
public sealed record DeliveryInHand(DeliveryRecord Delivery, Webhook? Webhook, WebhookEvent? Event);
