using System.Text.Json.Nodes;
using Webhooks.Events;

namespace Webhooks.Formatting;

/// <summary>The body generic webhooks receive: <c>id</c>, <c>event</c>, <c>timestamp</c>, <c>organization</c>, <c>project</c>, <c>data</c> (and <c>message</c> when given).</summary>
public static class GenericPayload
{
    public static JsonObject Build(WebhookEvent e)
    {
        var payload = new JsonObject
        {
            ["id"] = e.Id,
            ["event"] = e.Type,
            ["timestamp"] = e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["organization"] = new JsonObject { ["id"] = e.Organization.Id, ["name"] = e.Organization.Name },
            ["project"] = e.Project,
            ["data"] = e.Data.DeepClone(),
        };
        if (e.Message is not null)
        {
            payload["message"] = e.Message;
        }
        return payload;
    }
}
