using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Webhooks.Tests.Infrastructure;

/// <summary>The tests' one builder of event envelopes: JSON as a producer sends it, of any organization, editable so a test can break it.</summary>
public static class TestEvents
{
    /// <summary>An event envelope of <paramref name="org"/>; <paramref name="message"/> is left out when null.</summary>
    public static JsonObject Envelope(string org, string type = "build_completed", string? id = null, string? project = "my-app", object? data = null, string? message = null)
    {
        var e = new JsonObject
        {
            ["id"] = id ?? NewId(),
            ["type"] = type,
            ["occurredAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["organization"] = new JsonObject { ["id"] = org, ["name"] = "Acme Mobile" },
            ["project"] = project,
            ["data"] = data is null
                ? new JsonObject { ["projectName"] = "my-app", ["platform"] = "ios", ["version"] = "2.4.0", ["buildNumber"] = 117, ["id"] = "bld_42" }
                : JsonSerializer.SerializeToNode(data),
        };
        if (message is not null)
        {
            e["message"] = message;
        }
        return e;
    }

    public static string NewId() => "evt_" + Guid.NewGuid().ToString("N")[..12];
}
