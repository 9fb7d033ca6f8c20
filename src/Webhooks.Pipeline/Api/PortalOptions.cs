using Microsoft.Extensions.Options;

namespace Webhooks.Api;

/// <summary>Settings section <c>Webhooks:Portal</c>: customer portal sessions and how their page may be embedded.</summary>
public sealed class PortalOptions
{
    public const string Section = "Webhooks:Portal";

    public static readonly TimeSpan ShortestTokenLifetime = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan LongestTokenLifetime = TimeSpan.FromHours(24);

    /// <summary>How long a portal session's token is valid, and the most a request may ask for (00:05:00 to 24:00:00).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Origins (<c>https://app.example.com</c>; <c>http://localhost:PORT</c> for development) whose pages may
    /// show the portal in an iframe, besides this host itself. Empty: only this host may frame it.
    /// </summary>
    public List<string> FrameAncestors { get; init; } = [];

    /// <summary>
    /// The public base URL of this host (<c>https://webhooks.example.com</c>), used in the portal links
    /// sessions hand out. Unset: the URL the session was asked for on.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>The table that names the portal signing key's versions (the keys themselves are in the secret store).</summary>
    public string KeysTable { get; set; } = "portalkeys";

    /// <summary>The settings' problems, one sentence each; none when they are valid.</summary>
    public IEnumerable<string> Problems()
    {
        if (TokenLifetime < ShortestTokenLifetime || TokenLifetime > LongestTokenLifetime)
        {
            yield return $"{Section}:TokenLifetime must be from 00:05:00 to 24:00:00.";
        }
        foreach (var origin in FrameAncestors.Where(o => !IsOrigin(o)))
        {
            yield return $"{Section}:FrameAncestors: '{origin}' is not an origin: write https://host[:port] (or http://localhost[:port]) with no path.";
        }
        if (PublicUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || url.Query.Length > 0 || url.Fragment.Length > 0))
        {
            yield return $"{Section}:PublicUrl must be an absolute http(s) URL without query or fragment.";
        }
    }

    /// <summary>An origin a Content-Security-Policy can name: https (or http on localhost), a host, an optional port, nothing after.</summary>
    public static bool IsOrigin(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && uri.Host == "localhost"))
        && uri.UserInfo.Length == 0
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), value, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Refuses invalid portal settings at start-up, naming each one at fault.</summary>
public sealed class PortalOptionsValidation : IValidateOptions<PortalOptions>
{
    public ValidateOptionsResult Validate(string? name, PortalOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
