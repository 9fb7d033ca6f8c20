using System.Text.Json.Nodes;
using Webhooks.Events;

namespace Webhooks.Formatting;

/// <summary>
/// A Slack incoming-webhook message in Block Kit: a header with the status, the event's facts as
/// fields, the optional message, and a context footer with the organization and operation id.
/// </summary>
public static class SlackMessage
{
    // Block Kit limits: header text 150 characters, section text 3,000, at most 10 fields.
    private const int HeaderLimit = 150;
    private const int TextLimit = 3000;

    public static JsonObject Build(WebhookEvent e)
    {
        var title = EventFacts.Title(e);
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = EventFacts.Cut(title, HeaderLimit), ["emoji"] = true },
            },
        };
        var facts = EventFacts.Of(e).Take(10).ToArray();
        if (facts.Length > 0)
        {
            var fields = new JsonArray();
            foreach (var (label, value) in facts)
            {
                fields.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = EventFacts.Cut($"*{label}*\n{Escape(value)}", 2000) });
            }
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }
        if (e.Message is not null)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = EventFacts.Cut(Escape(e.Message), TextLimit) },
            });
        }
        var footer = EventFacts.Footer(e);
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = EventFacts.Cut(Escape(footer), TextLimit) } },
        });
        // "text" is what notifications and clients without Block Kit show.
        return new JsonObject { ["text"] = EventFacts.Cut(title, TextLimit), ["blocks"] = blocks };
    }

    /// <summary>Slack's mrkdwn needs &amp;, &lt; and &gt; escaped, or a value could inject a link or a mention.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
