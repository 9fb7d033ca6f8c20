using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>
/// Claims on deliveries taken by the queue driver's steps: holds (<see cref="AttemptHolds"/>) on rows
/// that exist already. The message a runner works from stays hidden longer than a claim lasts, so
/// when it reappears its claim has lapsed.
/// </summary>
public sealed class DeliveryLease(DeliveryStore deliveries, AttemptHolds holds, IOptions<DeliveryOptions> delivery, TimeProvider clock)
{
    public TimeSpan Duration => holds.Duration;

    public TimeSpan MessageVisibility => Duration + delivery.Value.LeaseMargin;

    /// <summary>Takes the delivery for <paramref name="claim"/> with a write conditional on the row read; null when another runner changed it first.</summary>
    public Task<DeliveryRecord?> TryClaimAsync(DeliveryRecord read, string claim, CancellationToken cancellationToken) =>
        deliveries.TryWriteAsync(read.HeldBy(new DeliveryHold(claim, Duration), clock.GetUtcNow()), null, cancellationToken);
}
