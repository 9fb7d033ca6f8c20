using Microsoft.Extensions.Options;
using Webhooks.Sending;
using Webhooks.Storage;

namespace Webhooks.Delivery;

/// <summary>
/// How long a runner's claim on a delivery lasts, and how long a queue message it works from stays
/// hidden: longer than the claim, so a message that reappears means its runner is gone.
/// </summary>
public sealed class DeliveryLease(IOptions<SendingOptions> sending, IOptions<DeliveryOptions> delivery)
{
    /// <summary>One attempt at its timeout, plus the margin.</summary>
    public TimeSpan Duration => sending.Value.Timeout + delivery.Value.LeaseMargin;

    public TimeSpan MessageVisibility => Duration + delivery.Value.LeaseMargin;

    /// <summary>Whether someone other than <paramref name="claimant"/> holds the delivery at <paramref name="now"/>.</summary>
    public static bool IsHeldByAnother(DeliveryRecord delivery, DateTimeOffset now, params ReadOnlySpan<string?> claimant)
    {
        if (delivery.LeaseUntil is not { } until || until <= now)
        {
            return false;
        }
        foreach (var candidate in claimant)
        {
            if (candidate is not null && candidate == delivery.LeaseOwner)
            {
                return false;
            }
        }
        return true;
    }
}
