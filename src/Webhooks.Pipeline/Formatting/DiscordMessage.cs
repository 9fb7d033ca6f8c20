using System.Text.Json.Nodes;
using Webhooks.Ingestion;

namespace Webhooks.Formatting;

/// <summary>A Discord webhook message: one embed with status colour, title, fields and footer; mentions are switched off.</summary>
public static class DiscordMessage
{
    // Discord embed limits: title 256, description 4,096, 25 fields, field value 1,024, footer 2,048.
    public static JsonObject Build(WebhookEvent e)
    {
        var outcome = EventOutcomes.Of(e);
        var fields = new JsonArray();
        foreach (var (label, value) in EventFacts.Of(e).Take(25))
        {
            fields.Add(new JsonObject { ["name"] = label, ["value"] = EventFacts.Cut(value, 1024), ["inline"] = true });
        }
        var footer = EventFacts.Footer(e);
        var embed = new JsonObject
        {
            ["title"] = EventFacts.Cut(EventFacts.Title(e), 256),
            ["color"] = StatusColors.Rgb(outcome),
            ["fields"] = fields,
            ["footer"] = new JsonObject { ["text"] = EventFacts.Cut(footer, 2048) },
            ["timestamp"] = e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (e.Message is not null)
        {
            embed["description"] = EventFacts.Cut(e.Message, 4096);
        }
        // A message or project name must never ping @everyone or a role in the customer's server.
        return new JsonObject { ["embeds"] = new JsonArray { embed }, ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() } };
    }
}
