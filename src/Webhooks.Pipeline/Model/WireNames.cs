namespace Webhooks.Model;

/// <summary>The lowercase names the API uses for enums, in one place so parsing and printing agree.</summary>
public static class WireNames
{
    public static string Of(WebhookType type) => type switch
    {
        WebhookType.Generic => "generic",
        WebhookType.Slack => "slack",
        WebhookType.Teams => "teams",
        WebhookType.Discord => "discord",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string Of(TeamsFlavor flavor) => flavor switch
    {
        TeamsFlavor.Workflow => "workflow",
        TeamsFlavor.Connector => "connector",
        _ => throw new ArgumentOutOfRangeException(nameof(flavor)),
    };

    public static bool TryParse(string? value, out WebhookType type)
    {
        foreach (var candidate in Enum.GetValues<WebhookType>())
        {
            if (string.Equals(Of(candidate), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static TeamsFlavor ParseTeamsFlavor(string value) =>
        Enum.GetValues<TeamsFlavor>().First(f => Of(f) == value);

    public static IEnumerable<string> AllTypes => Enum.GetValues<WebhookType>().Select(Of);
}
