using System.Globalization;

namespace Webhooks.Signing;

/// <summary>
/// The headers a generic webhook delivery carries: Standard Webhooks (<c>webhook-id</c>,
/// <c>webhook-timestamp</c>, <c>webhook-signature</c>) and the product-style <c>{prefix}-Event</c>,
/// <c>-Delivery</c>, <c>-Timestamp</c> and <c>-Signature</c>. There is one signature per secret still
/// valid, current first, so receivers verify with either secret during a rotation overlap.
/// </summary>
public static class DeliveryHeaders
{
    public static IReadOnlyList<KeyValuePair<string, string>> For(
        string prefix, string deliveryId, string eventType, DateTimeOffset timestamp, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets)
    {
        var seconds = timestamp.ToUnixTimeSeconds();
        var standard = new List<string>(secrets.Count);
        var hex = new List<string>(secrets.Count);
        foreach (var secret in secrets)
        {
            standard.Add(WebhookSignatures.Standard(secret, deliveryId, seconds, body));
            hex.Add(WebhookSignatures.Hex(secret, body));
        }
        return
        [
            new("webhook-id", deliveryId),
            new("webhook-timestamp", seconds.ToString(CultureInfo.InvariantCulture)),
            new("webhook-signature", string.Join(' ', standard)),
            new($"{prefix}-Event", eventType),
            new($"{prefix}-Delivery", deliveryId),
            new($"{prefix}-Timestamp", DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            new($"{prefix}-Signature", string.Join(',', hex)),
        ];
    }
}
