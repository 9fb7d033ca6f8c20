using Microsoft.Extensions.Options;
using Webhooks.Model;
using Webhooks.Sending;

namespace Webhooks.Management;

/// <summary>
/// Which URLs a webhook of each type may have, and which Teams flavor a Teams URL is. Where a URL
/// may point is <see cref="DestinationRules"/>, the connect-time guard's own rule: what the host
/// gives away by itself (its name, or the address it spells) is refused here, at once; the guard
/// checks again what the name resolves to.
/// </summary>
public sealed class EndpointUrlRules(IOptions<EndpointOptions> options)
{
    public const int MaxLength = 2048;

    private static readonly string[] DiscordHosts = ["discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com", "ptb.discordapp.com", "canary.discordapp.com"];

    /// <summary>Checks <paramref name="value"/> for a webhook of <paramref name="type"/>; returns an error message or null.</summary>
    public string? Check(WebhookType type, string value, out Uri? url, out TeamsFlavor? flavor)
    {
        flavor = null;
        url = null;
        if (value.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters.";
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
        {
            return "must be an absolute https URL.";
        }
        if (parsed.UserInfo.Length > 0)
        {
            return "must not contain credentials (user:password@).";
        }
        url = parsed;
        var destination = DestinationRules.Read(parsed.IdnHost);
        switch (destination.Kind)
        {
            case DestinationKind.Invalid:
                return "must have a valid host name.";
            case DestinationKind.InternalName:
                return "must not point at a single-label, internal or cloud metadata host name.";
            case DestinationKind.Reserved:
                return "must not point at a private, link-local or reserved address.";
            case DestinationKind.Loopback when !options.Value.AllowLoopback:
                return "must not point at a loopback address.";
            case DestinationKind.Loopback:
                // Local development and tests point every type at a loopback receiver.
                flavor = type == WebhookType.Teams ? FlavorFromPath(parsed) : null;
                return null;
        }
        if (parsed.Scheme != Uri.UriSchemeHttps)
        {
            return "must use https.";
        }
        return type switch
        {
            WebhookType.Slack => IsSlack(parsed) ? null : "must be a Slack incoming webhook URL (https://hooks.slack.com/services/...).",
            WebhookType.Discord => IsDiscord(parsed) ? null : "must be a Discord webhook URL (https://discord.com/api/webhooks/...).",
            WebhookType.Teams => TeamsFlavorOf(parsed) is { } f
                ? Accept(out flavor, f)
                : "must be a Teams workflow URL (Power Automate / Logic Apps) or an Office 365 connector URL (*.webhook.office.com).",
            _ => null,
        };
    }

    /// <summary>What responses show of a token-bearing URL: scheme, host and a short tail.</summary>
    public static string Mask(Uri url)
    {
        var whole = url.PathAndQuery;
        var tail = whole.Length > 4 ? whole[^4..] : "";
        return $"{url.Scheme}://{url.Authority}/…{tail}";
    }

    private static string? Accept(out TeamsFlavor? flavor, TeamsFlavor value)
    {
        flavor = value;
        return null;
    }

    private static bool IsSlack(Uri url) =>
        HostIs(url, "hooks.slack.com") && url.AbsolutePath.StartsWith("/services/", StringComparison.Ordinal);

    private static bool IsDiscord(Uri url) =>
        DiscordHosts.Any(h => HostIs(url, h)) && url.AbsolutePath.StartsWith("/api/webhooks/", StringComparison.Ordinal);

    private static TeamsFlavor? TeamsFlavorOf(Uri url)
    {
        var host = url.IdnHost.ToLowerInvariant();
        if (host.EndsWith(".logic.azure.com", StringComparison.Ordinal) || host.EndsWith(".api.powerplatform.com", StringComparison.Ordinal))
        {
            return TeamsFlavor.Workflow;
        }
        if (host.EndsWith(".webhook.office.com", StringComparison.Ordinal)
            || ((host == "outlook.office.com" || host == "outlook.office365.com") && url.AbsolutePath.StartsWith("/webhook", StringComparison.Ordinal)))
        {
            return TeamsFlavor.Connector;
        }
        return null;
    }

    private static TeamsFlavor FlavorFromPath(Uri url) =>
        url.AbsolutePath.Contains("/webhookb2/", StringComparison.OrdinalIgnoreCase) || url.AbsolutePath.StartsWith("/webhook/", StringComparison.OrdinalIgnoreCase)
            ? TeamsFlavor.Connector
            : TeamsFlavor.Workflow;

    private static bool HostIs(Uri url, string host) => string.Equals(url.IdnHost, host, StringComparison.OrdinalIgnoreCase);
}
