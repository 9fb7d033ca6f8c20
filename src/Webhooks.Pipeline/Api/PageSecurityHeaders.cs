namespace Webhooks.Api;

/// <summary>
/// The response headers of the dashboard's files: the page loads only what its own host serves, sends
/// no referrer (a portal URL's fragment never leaves, but the path should not either), and may be framed
/// only where the settings allow: never the operator page, the portal by its own host and the configured origins.
/// </summary>
public static class PageSecurityHeaders
{
    public static IReadOnlyList<KeyValuePair<string, string>> For(bool portal, PortalOptions options)
    {
        var ancestors = portal
            ? string.Join(' ', options.FrameAncestors.Where(IsOrigin).Prepend("'self'"))
            : "'none'";
        return
        [
            new("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + $"base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors {ancestors}"),
            new("X-Content-Type-Options", "nosniff"),
            new("Referrer-Policy", "no-referrer"),
        ];
    }

    /// <summary>An origin that cannot end the directive or add another: a scheme and host, nothing that separates CSP tokens.</summary>
    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
        && uri.GetLeftPart(UriPartial.Authority).Equals(value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
