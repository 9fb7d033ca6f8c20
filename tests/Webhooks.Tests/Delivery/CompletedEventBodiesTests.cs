using System.Globalization;
using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Delivery;

/// <summary>
/// A completed build with every fact and a message, delivered end to end to a webhook of each type:
/// each gets its own format, chat webhooks unsigned, the generic one signed.
/// </summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class CompletedEventBodiesTests(AzuriteFixture storage)
{
    private const string Message = "Shipped to TestFlight & <!channel> told";
    private static readonly Lock Gate = new();
    private static Task<FormatScenario>? scenario;

    private static readonly string[] SignatureHeaders =
        ["webhook-id", "webhook-timestamp", "webhook-signature", "X-Webhook-Event", "X-Webhook-Delivery", "X-Webhook-Timestamp", "X-Webhook-Signature"];

    private static readonly (string Label, string Value)[] Facts =
    [
        ("Project", "my-app"),
        ("Platform", "ios"),
        ("Version", "2.4.0"),
        ("Build number", "117"),
        ("Configuration", "Release"),
        ("Distribution", "store"),
    ];

    private Task<FormatScenario> Scenario()
    {
        lock (Gate)
        {
            return scenario ??= FormatScenario.RunAsync(storage, h => TestEvents.Envelope(h.Org,
                type: "build_completed",
                project: "my-app",
                data: new { projectName = "my-app", platform = "ios", version = "2.4.0", buildNumber = 117, configuration = "Release", distributionType = "store", id = "bld_42" },
                message: Message));
        }
    }

    [Fact]
    public async Task TheGenericWebhookReceivesTheWholeEvent()
    {
        var s = await Scenario();
        var body = s.Body(FormatScenario.Generic);

        Assert.Equal(s.EventId, body.GetProperty("id").GetString());
        Assert.Equal("build_completed", body.GetProperty("event").GetString());
        var timestamp = body.GetProperty("timestamp").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", timestamp);
        Assert.InRange(DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        Assert.Equal(s.Organization, body.GetProperty("organization").GetProperty("id").GetString());
        Assert.Equal("Acme Mobile", body.GetProperty("organization").GetProperty("name").GetString());
        Assert.Equal("my-app", body.GetProperty("project").GetString());
        var data = body.GetProperty("data");
        Assert.Equal("ios", data.GetProperty("platform").GetString());
        Assert.Equal("2.4.0", data.GetProperty("version").GetString());
        Assert.Equal(117, data.GetProperty("buildNumber").GetInt32());
        Assert.Equal("Release", data.GetProperty("configuration").GetString());
        Assert.Equal("store", data.GetProperty("distributionType").GetString());
        Assert.Equal("bld_42", data.GetProperty("id").GetString());
        Assert.Equal(Message, body.GetProperty("message").GetString());
        Assert.False(body.TryGetProperty("card", out _));
    }

    [Fact]
    public async Task OnlyTheGenericWebhookIsSigned()
    {
        var s = await Scenario();

        Assert.All(SignatureHeaders, name => Assert.True(s.On(FormatScenario.Generic).Headers.ContainsKey(name), $"generic lacks {name}"));
        foreach (var chat in new[] { FormatScenario.Slack, FormatScenario.Discord, FormatScenario.TeamsWorkflow, FormatScenario.TeamsConnector })
        {
            var headers = s.On(chat).Headers;
            Assert.All(SignatureHeaders, name => Assert.False(headers.ContainsKey(name), $"{chat} carries {name}"));
            Assert.DoesNotContain(headers.Keys, k => k.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase) || k.StartsWith("X-Webhook", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task EveryDeliveryIsAJsonPostWithTheUserAgent()
    {
        var s = await Scenario();

        Assert.All(s.Received.Values, r =>
        {
            Assert.StartsWith("application/json", r.Headers["Content-Type"], StringComparison.Ordinal);
            Assert.Equal("Webhook-Pipeline/1.0", r.Headers["User-Agent"]);
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(r.Body).RootElement.ValueKind);
        });
    }

    [Fact]
    public async Task SlackReceivesBlockKitWithAStatusHeaderFactsMessageAndFooter()
    {
        var s = await Scenario();
        var body = s.Body(FormatScenario.Slack);

        Assert.Equal("✅ Build completed", body.GetProperty("text").GetString());
        var blocks = body.GetProperty("blocks").EnumerateArray().ToArray();
        Assert.Equal(["header", "section", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        var header = blocks[0].GetProperty("text");
        Assert.Equal("plain_text", header.GetProperty("type").GetString());
        Assert.Equal("✅ Build completed", header.GetProperty("text").GetString());
        var fields = blocks[1].GetProperty("fields").EnumerateArray().ToArray();
        Assert.All(fields, f => Assert.Equal("mrkdwn", f.GetProperty("type").GetString()));
        Assert.Equal(Facts.Select(f => $"*{f.Label}*\n{f.Value}"), fields.Select(f => f.GetProperty("text").GetString()));
        // mrkdwn is escaped, so a message cannot ping the channel or inject a link.
        Assert.Equal("Shipped to TestFlight &amp; &lt;!channel&gt; told", blocks[2].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("Acme Mobile · bld_42", blocks[3].GetProperty("elements")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task ATeamsWorkflowReceivesTheGenericPayloadWithTextAndAnAdaptiveCard()
    {
        var s = await Scenario();
        var body = s.Body(FormatScenario.TeamsWorkflow);

        Assert.Equal(s.EventId, body.GetProperty("id").GetString());
        Assert.Equal("build_completed", body.GetProperty("event").GetString());
        Assert.Equal(s.Organization, body.GetProperty("organization").GetProperty("id").GetString());
        Assert.Equal("my-app", body.GetProperty("project").GetString());
        Assert.Equal("bld_42", body.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(Message, body.GetProperty("message").GetString());
        Assert.Equal("✅ Build completed", body.GetProperty("text").GetString());

        var card = body.GetProperty("card");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.5", card.GetProperty("version").GetString());
        var blocks = card.GetProperty("body").EnumerateArray().ToArray();
        Assert.Equal("✅ Build completed", blocks[0].GetProperty("text").GetString());
        Assert.Equal("Good", blocks[0].GetProperty("color").GetString());
        var factSet = Assert.Single(blocks, b => b.GetProperty("type").GetString() == "FactSet");
        Assert.Equal(Facts.Select(f => (f.Label, f.Value)), factSet.GetProperty("facts").EnumerateArray().Select(f => (f.GetProperty("title").GetString()!, f.GetProperty("value").GetString()!)));
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "TextBlock" && b.GetProperty("text").GetString() == Message);
        Assert.Equal("Acme Mobile · bld_42", blocks[^1].GetProperty("text").GetString());
        // The same card as a message attachment, for Microsoft's ready-made flow templates.
        Assert.Equal("message", body.GetProperty("type").GetString());
        Assert.Equal(card.GetRawText(), Assert.Single(body.GetProperty("attachments").EnumerateArray()).GetProperty("content").GetRawText());
    }

    [Fact]
    public async Task ATeamsConnectorReceivesAMessageCard()
    {
        var s = await Scenario();
        var body = s.Body(FormatScenario.TeamsConnector);

        Assert.Equal("MessageCard", body.GetProperty("@type").GetString());
        Assert.Equal("2EB886", body.GetProperty("themeColor").GetString());
        Assert.Equal("✅ Build completed", body.GetProperty("title").GetString());
        Assert.Equal("✅ Build completed", body.GetProperty("summary").GetString());
        var section = Assert.Single(body.GetProperty("sections").EnumerateArray());
        Assert.Equal(Facts.Select(f => (f.Label, f.Value)), section.GetProperty("facts").EnumerateArray().Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("value").GetString()!)));
        Assert.Equal(Message, section.GetProperty("text").GetString());
        Assert.Equal("Acme Mobile · bld_42", section.GetProperty("activitySubtitle").GetString());
        Assert.False(body.TryGetProperty("card", out _));
        Assert.False(body.TryGetProperty("event", out _));
    }

    [Fact]
    public async Task DiscordReceivesOneEmbedWithMentionsSwitchedOff()
    {
        var s = await Scenario();
        var body = s.Body(FormatScenario.Discord);

        var embed = Assert.Single(body.GetProperty("embeds").EnumerateArray());
        Assert.Equal(0x2EB886, embed.GetProperty("color").GetInt32());
        Assert.Equal("✅ Build completed", embed.GetProperty("title").GetString());
        Assert.Equal(Message, embed.GetProperty("description").GetString());
        var fields = embed.GetProperty("fields").EnumerateArray().ToArray();
        Assert.Equal(Facts.Select(f => (f.Label, f.Value)), fields.Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("value").GetString()!)));
        Assert.All(fields, f => Assert.True(f.GetProperty("inline").GetBoolean()));
        Assert.Equal("Acme Mobile · bld_42", embed.GetProperty("footer").GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("allowed_mentions").GetProperty("parse").ValueKind);
        Assert.Equal(0, body.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
    }
}
