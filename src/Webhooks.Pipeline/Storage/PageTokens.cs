using System.Buffers.Text;
using System.Text;

namespace Webhooks.Storage;

/// <summary>
/// Wraps table continuation tokens so clients see one opaque URL-safe string. A token cannot widen
/// a query: every listing is also filtered by the caller's organization.
/// </summary>
public static class PageTokens
{
    public static string? Encode(string? continuation) =>
        continuation is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(continuation));

    public static bool TryDecode(string? token, out string? continuation)
    {
        continuation = null;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        try
        {
            continuation = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            return continuation.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
