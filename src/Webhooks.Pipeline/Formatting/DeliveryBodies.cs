using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.Events;
using Webhooks.Model;

namespace Webhooks.Formatting;

/// <summary>Which body a webhook of each type receives for an event, as the bytes that are signed and sent.</summary>
public static class DeliveryBodies
{
    // Bodies go to programs and chat services, never into HTML: accents and most symbols stay UTF-8
    // (characters beyond the Basic Multilingual Plane, like many emoji, are still written as \u escapes).
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject For(Webhook webhook, WebhookEvent e) => webhook.Type switch
    {
        WebhookType.Slack => SlackMessage.Build(e),
        WebhookType.Teams => TeamsMessage.Build(e, webhook.TeamsFlavor ?? TeamsFlavor.Workflow),
        WebhookType.Discord => DiscordMessage.Build(e),
        _ => GenericPayload.Build(e),
    };

    public static byte[] Serialize(JsonObject body) => JsonSerializer.SerializeToUtf8Bytes(body, Options);
}
