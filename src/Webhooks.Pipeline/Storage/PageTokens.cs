using System.Buffers.Text;
using System.Text;

namespace Webhooks.Storage;

/// <summary>
/// Wraps table continuation tokens so clients see one opaque URL-safe string, bound to the listing
/// it was issued for (its scope: the organization, webhook and filters). A token from another
/// listing, or one this API never issued, is refused rather than read as a place to resume; no
/// token could widen a query anyway, since every listing is filtered by the caller's organization.
/// </summary>
public static class PageTokens
{
    private const char Separator = '\n';

    public static string? Encode(string scope, string? continuation) =>
        continuation is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(scope + Separator + continuation));

    /// <summary>The continuation in <paramref name="token"/> (null for none), or false when it is not a token of this listing.</summary>
    public static bool TryDecode(string? token, string scope, out string? continuation)
    {
        continuation = null;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var prefix = scope + Separator;
            if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Length == prefix.Length)
            {
                return false;
            }
            continuation = text[prefix.Length..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
