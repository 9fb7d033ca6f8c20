using Microsoft.Extensions.Options;
using Webhooks.Sending;
using Webhooks.Storage;

namespace Webhooks.Delivery;

/// <summary>
/// Holds on delivery rows for one attempt. A hold's owner is a token minted for one processing,
/// never a message id: a message seen again while its first processing still runs must not pass
/// for its owner. A hold lasts one attempt at its timeout plus a margin. The fan-out holds the rows
/// it creates in both hosts, so a resend during the first attempt is refused rather than sent twice.
/// </summary>
public sealed class AttemptHolds(IOptions<SendingOptions> sending, IOptions<DeliveryOptions> delivery)
{
    public TimeSpan Duration => sending.Value.Timeout + delivery.Value.LeaseMargin;

    /// <summary>An owner token for one processing.</summary>
    public static string NewOwner() => Guid.NewGuid().ToString("N");

    /// <summary>A new hold, for the rows one processing creates.</summary>
    public DeliveryHold New() => new(NewOwner(), Duration);
}
