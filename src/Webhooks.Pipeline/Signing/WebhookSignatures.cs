using System.Security.Cryptography;
using System.Text;
using Webhooks.Secrets;

namespace Webhooks.Signing;

/// <summary>
/// The two signature schemes a generic webhook delivery carries, computed from the secret exactly
/// as the customer was shown it:
/// <list type="bullet">
/// <item>Standard Webhooks: <c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, keyed with the
/// base64-decoded part after <c>whsec_</c>;</item>
/// <item>the simple scheme: <c>sha256=</c> + hex HMAC-SHA256 of the body, keyed with the whole
/// <c>whsec_…</c> string as UTF-8, as the seed products' verification samples compute it.</item>
/// </list>
/// </summary>
public static class WebhookSignatures
{
    public const string StandardPrefix = "v1,";
    public const string HexPrefix = "sha256=";

    public static string Standard(string secret, string messageId, long unixTimestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{unixTimestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return StandardPrefix + Convert.ToBase64String(HMACSHA256.HashData(StandardKey(secret), signed));
    }

    public static string Hex(string secret, ReadOnlySpan<byte> body) =>
        HexPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>The Standard Webhooks key: the bytes the <c>whsec_</c> string encodes.</summary>
    public static byte[] StandardKey(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SigningSecret.Prefix, StringComparison.Ordinal) ? secret[SigningSecret.Prefix.Length..] : secret);
}
