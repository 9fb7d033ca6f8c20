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
    public const string DeliveryPrefix = "dlv_";

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>A new webhook id: the prefix and 128 random bits in lowercase Crockford base32.</summary>
    public static string NewWebhookId() => WebhookPrefix + RandomBase32();

    /// <summary>
    /// The id of the delivery of one event to one webhook: 128 bits of SHA-256 over (organization,
    /// event id, webhook id). Derived, never random, so processing an event again finds the same
    /// deliveries instead of starting new ones, and receivers can dedupe on it.
    /// </summary>
    public static string DeliveryId(string organizationId, string eventId, string webhookId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{organizationId}\n{eventId}\n{webhookId}"), hash);
        return DeliveryPrefix + Base32(hash[..16]);
    }

    /// <summary>A random event id, for events the pipeline makes itself (test pings).</summary>
    public static string NewEventId() => "evt_" + RandomBase32();

    /// <summary>Organization ids are chosen by the product: letters, digits, '-' and '_', at most 64.</summary>
    public static bool IsValidOrganizationId(string? value) => value is not null && OrganizationIdPattern().IsMatch(value);

    public static bool IsWellFormedWebhookId(string? value) => value is not null && WebhookIdPattern().IsMatch(value);

    public static bool IsWellFormedDeliveryId(string? value) => value is not null && DeliveryIdPattern().IsMatch(value);

    private static string RandomBase32()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base32(bytes);
    }

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
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

    [GeneratedRegex(@"^dlv_[0-9a-z]{26}\z")]
    private static partial Regex DeliveryIdPattern();
}
