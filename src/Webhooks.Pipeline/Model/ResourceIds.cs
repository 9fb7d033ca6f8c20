using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Webhooks.Model;

/// <summary>
/// Identifiers: random ids with a readable prefix (<c>wh_…</c>) and the shape rules for ids that
/// arrive in routes, which double as table keys.
/// </summary>
public static partial class ResourceIds
{
    public const string WebhookPrefix = "wh_";

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>A new webhook id: the prefix and 128 random bits in lowercase Crockford base32.</summary>
    public static string NewWebhookId() => WebhookPrefix + RandomBase32();

    /// <summary>Organization ids are chosen by the product: letters, digits, '-' and '_', at most 64.</summary>
    public static bool IsValidOrganizationId(string? value) => value is not null && OrganizationIdPattern().IsMatch(value);

    public static bool IsWellFormedWebhookId(string? value) => value is not null && WebhookIdPattern().IsMatch(value);

    private static string RandomBase32()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        var value = new UInt128(BitConverter.ToUInt64(bytes[..8]), BitConverter.ToUInt64(bytes[8..]));
        Span<char> chars = stackalloc char[26];
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z")]
    private static partial Regex OrganizationIdPattern();

    [GeneratedRegex(@"^wh_[0-9a-z]{26}\z")]
    private static partial Regex WebhookIdPattern();
}
