using System.Text.Json.Nodes;
using Webhooks.Events;
using Webhooks.Formatting;

namespace Webhooks.Tests.Formatting;

/// <summary>
/// Discord refuses (400) a message whose embeds total more than 6,000 characters over title,
/// description, field names and values and footer, on top of each part's own limit. An event the
/// reader accepts must never become a message Discord refuses, or every attempt fails alike.
/// </summary>
public sealed class DiscordEmbedLimitsTests
{
    private const int DiscordEmbedTotal = 6000;

    private static int TotalCharacters(JsonObject message)
    {
        var total = 0;
        foreach (var embed in message["embeds"]!.AsArray().Select(e => e!.AsObject()))
        {
            total += embed["title"]?.GetValue<string>().Length ?? 0;
            total += embed["description"]?.GetValue<string>().Length ?? 0;
            total += embed["footer"]?["text"]?.GetValue<string>().Length ?? 0;
            foreach (var field in embed["fields"]!.AsArray())
            {
                total += field!["name"]!.GetValue<string>().Length + field["value"]!.GetValue<string>().Length;
            }
        }
        return total;
    }

    [Fact]
    public void ATypicalEventIsFarWithinTheTotal()
    {
        var e = new WebhookEvent
        {
            Id = "evt_1",
            Type = "build_completed",
            OccurredAt = DateTimeOffset.UtcNow,
            Organization = new EventOrganization("org-1", "Acme"),
            Project = "my-app",
            Data = new JsonObject { ["platform"] = "ios", ["version"] = "2.4.0", ["id"] = "bld_1" },
            Message = "Shipped",
        };

        Assert.InRange(TotalCharacters(DiscordMessage.Build(e)), 1, 200);
    }

    [Fact]
    public void AnEventWithLongButValidFactsStaysWithinDiscordsEmbedTotal()
    {
        // Every part within what the envelope reader accepts (message ≤ 2,000, project ≤ 200, event ≤ 48 KB).
        var e = new WebhookEvent
        {
            Id = "evt_1",
            Type = "build_failed",
            OccurredAt = DateTimeOffset.UtcNow,
            Organization = new EventOrganization("org-1", new string('o', 1500)),
            Project = new string('p', 200),
            Data = new JsonObject
            {
                ["platform"] = new string('a', 1000),
                ["version"] = new string('v', 1000),
                ["configuration"] = new string('c', 1000),
                ["distributionType"] = new string('d', 1000),
                ["id"] = "bld_1",
            },
            Message = new string('m', EventEnvelopeReader.MaxMessageLength),
        };

        var total = TotalCharacters(DiscordMessage.Build(e));

        Assert.True(total <= DiscordEmbedTotal, $"the embed totals {total} characters; Discord refuses more than {DiscordEmbedTotal}.");
    }
}
