using System.Text.Json.Nodes;
using Webhooks.Events;

namespace Webhooks.Formatting;

/// <summary>A Discord webhook message: one embed with status colour, title, fields and footer; mentions are switched off.</summary>
public static class DiscordMessage
{
    // Discord's limits: title 256, description 4,096, 25 fields, field value 1,024, footer 2,048,
    // and 6,000 characters over all of them together (more is refused with 400, on every retry).
    private const int EmbedTotal = 6000;

    public static JsonObject Build(WebhookEvent e)
    {
        var outcome = EventOutcomes.Of(e);
        var title = EventFacts.Cut(EventFacts.Title(e), 256);
        var facts = EventFacts.Of(e).Take(25).Select(f => (f.Label, Value: EventFacts.Cut(f.Value, 1024))).ToArray();
        var footer = EventFacts.Cut(EventFacts.Footer(e), 2048);
        var description = e.Message is null ? null : EventFacts.Cut(e.Message, 4096);
        FitTotal(title, facts, ref footer, ref description);

        var fields = new JsonArray();
        foreach (var (label, value) in facts)
        {
            fields.Add(new JsonObject { ["name"] = label, ["value"] = value, ["inline"] = true });
        }
        var embed = new JsonObject
        {
            ["title"] = title,
            ["color"] = StatusColors.Rgb(outcome),
            ["fields"] = fields,
            ["footer"] = new JsonObject { ["text"] = footer },
            ["timestamp"] = e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (description is not null)
        {
            embed["description"] = description;
        }
        // A message or project name must never ping @everyone or a role in the customer's server.
        return new JsonObject { ["embeds"] = new JsonArray { embed }, ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() } };
    }

    /// <summary>Shortens the longest of the description, footer and field values until the embed fits Discord's total.</summary>
    private static void FitTotal(string title, (string Label, string Value)[] facts, ref string footer, ref string? description)
    {
        int Total(string f, string? d) => title.Length + f.Length + (d?.Length ?? 0) + facts.Sum(x => x.Label.Length + x.Value.Length);
        for (var excess = Total(footer, description) - EmbedTotal; excess > 0; excess = Total(footer, description) - EmbedTotal)
        {
            var longestFact = facts.Length == 0 ? -1 : Array.IndexOf(facts, facts.MaxBy(x => x.Value.Length));
            var factLength = longestFact < 0 ? 0 : facts[longestFact].Value.Length;
            var longest = Math.Max(Math.Max(footer.Length, description?.Length ?? 0), factLength);
            if (longest <= 1)
            {
                return;
            }
            var target = Math.Max(1, longest - excess);
            if (description is not null && description.Length == longest)
            {
                description = EventFacts.Cut(description, target);
            }
            else if (footer.Length == longest)
            {
                footer = EventFacts.Cut(footer, target);
            }
            else
            {
                facts[longestFact] = (facts[longestFact].Label, EventFacts.Cut(facts[longestFact].Value, target));
            }
        }
    }
}
