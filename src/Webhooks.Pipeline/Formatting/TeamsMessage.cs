using System.Text.Json.Nodes;
using Webhooks.Events;
using Webhooks.Model;

namespace Webhooks.Formatting;

/// <summary>
/// Teams bodies. A workflow (Power Automate / Logic Apps) gets the whole generic payload plus
/// <c>text</c> and <c>card</c> (an Adaptive Card 1.5), so a flow can use either, and the same card
/// again as a message attachment (<c>type: message</c>, <c>attachments[0].content</c>), which is what
/// Microsoft's ready-made "post to a channel when a webhook request is received" templates read; a
/// legacy Office 365 connector gets a MessageCard, the only format it takes.
/// </summary>
public static class TeamsMessage
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public static JsonObject Build(WebhookEvent e, TeamsFlavor flavor) =>
        flavor == TeamsFlavor.Connector ? MessageCard(e) : Workflow(e);

    private static JsonObject Workflow(WebhookEvent e)
    {
        var payload = GenericPayload.Build(e);
        var card = AdaptiveCard(e);
        payload["text"] = EventFacts.Title(e);
        payload["card"] = card;
        payload["type"] = "message";
        payload["attachments"] = new JsonArray
        {
            new JsonObject { ["contentType"] = AdaptiveCardContentType, ["content"] = card.DeepClone() },
        };
        return payload;
    }

    public static JsonObject AdaptiveCard(WebhookEvent e)
    {
        var outcome = EventOutcomes.Of(e);
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = EventFacts.Title(e), ["weight"] = "Bolder", ["size"] = "Medium", ["color"] = StatusColors.AdaptiveCard(outcome), ["wrap"] = true },
        };
        var facts = new JsonArray();
        foreach (var (label, value) in EventFacts.Of(e))
        {
            facts.Add(new JsonObject { ["title"] = label, ["value"] = value });
        }
        if (facts.Count > 0)
        {
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        }
        if (e.Message is not null)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = e.Message, ["wrap"] = true });
        }
        body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = EventFacts.Footer(e), ["isSubtle"] = true, ["size"] = "Small", ["wrap"] = true });
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = body,
        };
    }

    private static JsonObject MessageCard(WebhookEvent e)
    {
        var facts = new JsonArray();
        foreach (var (label, value) in EventFacts.Of(e))
        {
            facts.Add(new JsonObject { ["name"] = label, ["value"] = value });
        }
        var section = new JsonObject { ["activityTitle"] = EventFacts.Title(e), ["activitySubtitle"] = EventFacts.Footer(e), ["facts"] = facts };
        if (e.Message is not null)
        {
            section["text"] = e.Message;
        }
        return new JsonObject
        {
            ["@type"] = "MessageCard",
            ["@context"] = "https://schema.org/extensions",
            ["summary"] = EventFacts.Title(e),
            ["themeColor"] = StatusColors.Hex(EventOutcomes.Of(e)),
            ["title"] = EventFacts.Title(e),
            ["sections"] = new JsonArray { section },
        };
    }
}
