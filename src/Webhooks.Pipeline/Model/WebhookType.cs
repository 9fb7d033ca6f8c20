namespace Webhooks.Model;

/// <summary>How a webhook's deliveries are formatted and whether they are signed.</summary>
public enum WebhookType
{
    /// <summary>Signed JSON to any HTTPS endpoint.</summary>
    Generic,
    /// <summary>A Slack incoming webhook (Block Kit).</summary>
    Slack,
    /// <summary>A Microsoft Teams workflow or legacy connector.</summary>
    Teams,
    /// <summary>A Discord channel webhook (embeds).</summary>
    Discord,
}

/// <summary>The two kinds of Teams webhook URL, which take different message formats.</summary>
public enum TeamsFlavor
{
    /// <summary>A Power Automate / Logic Apps workflow URL: takes an Adaptive Card.</summary>
    Workflow,
    /// <summary>A legacy Office 365 connector URL: takes a MessageCard.</summary>
    Connector,
}
