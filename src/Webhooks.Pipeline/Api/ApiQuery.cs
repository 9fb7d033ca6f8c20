using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Api;

/// <summary>The checks every handler applies to route and query values, each failure naming its field.</summary>
public static class ApiQuery
{
    public static void CheckOrganization(string orgId)
    {
        if (!ResourceIds.IsValidOrganizationId(orgId))
        {
            throw ValidationException.For("orgId", "must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit.");
        }
    }

    /// <summary>The <c>limit</c> query value, or the default page size.</summary>
    public static int PageSize(HttpRequest request, ApiOptions options)
    {
        var value = Text(request, "limit");
        if (string.IsNullOrEmpty(value))
        {
            return options.DefaultPageSize;
        }
        return int.TryParse(value, out var size) && size >= 1 && size <= options.MaxPageSize
            ? size
            : throw ValidationException.For("limit", $"must be a whole number from 1 to {options.MaxPageSize}.");
    }

    /// <summary>The table continuation behind the <c>pageToken</c> query value (null for the first page), which must have been issued for <paramref name="scope"/>.</summary>
    public static string? Continuation(HttpRequest request, string scope) =>
        PageTokens.TryDecode(Text(request, "pageToken"), scope, out var continuation)
            ? continuation
            : throw ValidationException.For("pageToken", "is not a token this API issued for this listing.");

    /// <summary>A query flag: absent or empty is false; otherwise it must be <c>true</c> or <c>false</c>.</summary>
    public static bool Flag(HttpRequest request, string name)
    {
        var value = Text(request, name);
        if (value.Length == 0)
        {
            return false;
        }
        return request.Query[name].Count == 1 && bool.TryParse(value, out var flag)
            ? flag
            : throw ValidationException.For(name, "must be true or false.");
    }

    /// <summary>A query value that must be an ISO 8601 date and time; one without an offset is UTC (never the server's local time).</summary>
    public static DateTimeOffset? Time(HttpRequest request, string name)
    {
        var value = Text(request, name);
        if (value.Length == 0)
        {
            return null;
        }
        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw ValidationException.For(name, "must be an ISO 8601 date and time, like 2026-11-23T12:00:00Z.");
    }

    /// <summary>
    /// A query value ("" when absent). One whose escapes are not UTF-8 (<c>%FF</c>, or <c>%ED%A0%80</c>,
    /// a surrogate) is refused naming it: ASP.NET Core would hand it on with the escapes undecoded.
    /// </summary>
    public static string Text(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        if (value.Length > 0 && !IsUtf8(request.QueryString, name))
        {
            throw ValidationException.For(name, "is not valid UTF-8 text once percent-decoded.");
        }
        return value;
    }

    private static bool IsUtf8(QueryString query, string name)
    {
        foreach (var pair in (query.Value ?? "").TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            if (string.Equals(Uri.UnescapeDataString(key.Replace('+', ' ')), name, StringComparison.Ordinal)
                && !IsUtf8(equals < 0 ? "" : pair[(equals + 1)..]))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsUtf8(string escaped)
    {
        var bytes = new List<byte>(escaped.Length);
        Span<byte> encoded = stackalloc byte[4];
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '%' && i + 2 < escaped.Length && byte.TryParse(escaped.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var escape))
            {
                bytes.Add(escape);
                i += 2;
            }
            else if (Rune.TryGetRuneAt(escaped, i, out var rune))
            {
                bytes.AddRange(encoded[..rune.EncodeToUtf8(encoded)]);
                i += rune.Utf16SequenceLength - 1;
            }
            else
            {
                return false;
            }
        }
        return Utf8.IsValid(bytes.ToArray());
    }
}
