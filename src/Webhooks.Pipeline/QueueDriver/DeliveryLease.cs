using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Sending;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>
/// Claims on deliveries (standalone host). A claim is a token minted for one processing of one
/// message, never the message id: a message seen again while its first processing still runs
/// must not pass for its owner. A claim lasts one attempt at its timeout plus a margin; the
/// message a runner works from stays hidden longer, so when it reappears its claim has lapsed.
/// </summary>
public sealed class DeliveryLease(DeliveryStore deliveries, IOptions<SendingOptions> sending, IOptions<DeliveryOptions> delivery, TimeProvider clock)
{
    public TimeSpan Duration => sending.Value.Timeout + delivery.Value.LeaseMargin;

    public TimeSpan MessageVisibility => Duration + delivery.Value.LeaseMargin;

    /// <summary>A claim token for one processing.</summary>
    public static string NewClaim() => Guid.NewGuid().ToString("N");

    /// <summary>A new claim, held for one attempt, on the rows one processing creates.</summary>
    public DeliveryHold NewHold() => new(NewClaim(), Duration);

    /// <summary>Takes the delivery for <paramref name="claim"/> with a write conditional on the row read; null when another runner changed it first.</summary>
    public Task<DeliveryRecord?> TryClaimAsync(DeliveryRecord read, string claim, CancellationToken cancellationToken) =>
        deliveries.TryWriteAsync(read with { LeaseOwner = claim, LeaseUntil = clock.GetUtcNow() + Duration }, null, cancellationToken);
}
