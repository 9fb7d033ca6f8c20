using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Management.Http;

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
        var value = request.Query["limit"].ToString();
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
        PageTokens.TryDecode(request.Query["pageToken"], scope, out var continuation)
            ? continuation
            : throw ValidationException.For("pageToken", "is not a token this API issued for this listing.");

    /// <summary>A query flag: absent or empty is false; otherwise it must be <c>true</c> or <c>false</c>.</summary>
    public static bool Flag(HttpRequest request, string name)
    {
        var value = request.Query[name];
        if (StringValues.IsNullOrEmpty(value))
        {
            return false;
        }
        return value.Count == 1 && bool.TryParse(value.ToString(), out var flag)
            ? flag
            : throw ValidationException.For(name, "must be true or false.");
    }

    /// <summary>A query value that must be an ISO 8601 date and time; one without an offset is UTC (never the server's local time).</summary>
    public static DateTimeOffset? Time(HttpRequest request, string name)
    {
        var value = request.Query[name];
        if (StringValues.IsNullOrEmpty(value))
        {
            return null;
        }
        return DateTimeOffset.TryParse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw ValidationException.For(name, "must be an ISO 8601 date and time, like 2026-11-23T12:00:00Z.");
    }
}
