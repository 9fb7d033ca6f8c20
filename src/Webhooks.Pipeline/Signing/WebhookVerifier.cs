using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Signing;

/// <summary>
/// For receivers written in C#: checks a delivery's signatures in constant time. Accepts either
/// scheme, any of several signatures (a rotation overlap sends one per secret),
/// and refuses Standard Webhooks timestamps too far from now, against replays.
/// </summary>
public static class WebhookVerifier
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Verifies <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature</c>.</summary>
    public static bool VerifyStandard(string secret, string messageId, string timestamp, string signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        // Compared as whole seconds: the header is the sender's, and a value out of DateTimeOffset's range must be refused, not thrown on.
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > (tolerance ?? DefaultTolerance).TotalSeconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(WebhookSignatures.Standard(secret, messageId, seconds, body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }

    /// <summary>
    /// Verifies a <c>sha256=&lt;hex&gt;</c> signature of the body. During a rotation overlap the header
    /// holds one such value per valid secret, comma-separated; any of them may match.
    /// </summary>
    public static bool VerifyHex(string secret, string signatureHeader, ReadOnlySpan<byte> body)
    {
        var expected = Encoding.ASCII.GetBytes(WebhookSignatures.Hex(secret, body));
        var matched = false;
        foreach (var candidate in signatureHeader.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            matched |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate.ToLowerInvariant()), expected);
        }
        return matched;
    }
}
