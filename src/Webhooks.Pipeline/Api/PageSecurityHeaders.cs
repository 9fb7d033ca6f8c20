namespace Webhooks.Api;

/// <summary>
/// The response headers of the dashboard page: a Content-Security-Policy that lets it load only this
/// host's own files and talk only to this host, and says who may frame it (nobody for the operator
/// page; this host and <see cref="PortalOptions.FrameAncestors"/> for the portal, which products embed).
/// </summary>
public static class PageSecurityHeaders
{
    public static IReadOnlyList<KeyValuePair<string, string>> For(bool portal, PortalOptions options)
    {
        var ancestors = portal ? string.Join(' ', options.FrameAncestors.Prepend("'self'")) : "'none'";
        return
        [
            new("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + $"base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors {ancestors}"),
            new("X-Content-Type-Options", "nosniff"),
            new("Referrer-Policy", "no-referrer"),
        ];
    }
}
