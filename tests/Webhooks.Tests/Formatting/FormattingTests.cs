using System.Text.Json.Nodes;
using Webhooks.Events;
using Webhooks.Formatting;
using Webhooks.Model;

namespace Webhooks.Tests.Formatting;

public sealed class FormattingTests
{
    private static WebhookEvent Event(string type, JsonObject? data = null, string? message = null, string? project = "my-app") => new()
    {
        Id = "evt_1",
        Type = type,
        OccurredAt = new DateTimeOffset(2026, 11, 23, 10, 30, 0, TimeSpan.Zero),
        Organization = new EventOrganization("acme", "Acme Corp"),
        Project = project,
        Data = data ?? new JsonObject { ["id"] = "build-42", ["platform"] = "ios", ["version"] = "1.2.0", ["buildNumber"] = 42 },
        Message = message,
    };

    [Theory]
    [InlineData("build_completed", EventOutcome.Success)]
    [InlineData("update_failed", EventOutcome.Failure)]
    [InlineData("job.canceled", EventOutcome.Failure)]
    [InlineData("webhook.disabled", EventOutcome.Failure)]
    public void TheOutcomeComesFromTheEventType(string type, EventOutcome expected) =>
        Assert.Equal(expected, EventOutcomes.Of(Event(type)));

    [Fact]
    public void WithoutATellingTypeTheOutcomeComesFromDataStatus() =>
        Assert.Equal(EventOutcome.Failure, EventOutcomes.Of(Event("build_finished", new JsonObject { ["status"] = "failed" })));

    [Fact]
    public void TheGenericPayloadHasTheSeedShape()
    {
        var payload = GenericPayload.Build(Event("build_completed", message: "All good"));
        Assert.Equal("evt_1", payload["id"]!.GetValue<string>());
        Assert.Equal("build_completed", payload["event"]!.GetValue<string>());
        Assert.Equal("2026-11-23T10:30:00.000Z", payload["timestamp"]!.GetValue<string>());
        Assert.Equal("acme", payload["organization"]!["id"]!.GetValue<string>());
        Assert.Equal("my-app", payload["project"]!.GetValue<string>());
        Assert.Equal("ios", payload["data"]!["platform"]!.GetValue<string>());
        Assert.Equal("All good", payload["message"]!.GetValue<string>());
    }

    [Fact]
    public void SlackMessagesCarryStatusFactsMessageAndFooter()
    {
        var message = SlackMessage.Build(Event("build_failed", message: "Signing failed <@here>"));
        var blocks = message["blocks"]!.AsArray();
        Assert.Equal("header", blocks[0]!["type"]!.GetValue<string>());
        Assert.Equal("❌ Build failed", blocks[0]!["text"]!["text"]!.GetValue<string>());
        var fields = blocks[1]!["fields"]!.AsArray().Select(f => f!["text"]!.GetValue<string>()).ToArray();
        Assert.Equal<string>(["*Project*\nmy-app", "*Platform*\nios", "*Version*\n1.2.0", "*Build number*\n42"], fields);
        Assert.Equal("Signing failed &lt;@here&gt;", blocks[2]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("context", blocks[3]!["type"]!.GetValue<string>());
        Assert.Equal("Acme Corp · build-42", blocks[3]!["elements"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("❌ Build failed", message["text"]!.GetValue<string>());
    }

    [Fact]
    public void SlackShowsOnlyTheFactsPresent()
    {
        var message = SlackMessage.Build(Event("build_completed", new JsonObject(), project: null));
        var blocks = message["blocks"]!.AsArray();
        Assert.Equal(2, blocks.Count);
        Assert.Equal("✅ Build completed", blocks[0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("Acme Corp", blocks[1]!["elements"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void TeamsWorkflowsGetTheGenericPayloadWithTextAndAnAdaptiveCard()
    {
        var body = TeamsMessage.Build(Event("update_completed", message: "Rolled out"), TeamsFlavor.Workflow);
        Assert.Equal("update_completed", body["event"]!.GetValue<string>());
        Assert.Equal("✅ Update completed", body["text"]!.GetValue<string>());
        var card = body["card"]!;
        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        var blocks = card["body"]!.AsArray();
        Assert.Equal("Good", blocks[0]!["color"]!.GetValue<string>());
        Assert.Equal("FactSet", blocks[1]!["type"]!.GetValue<string>());
        Assert.Equal("Project", blocks[1]!["facts"]![0]!["title"]!.GetValue<string>());
        Assert.Equal("Rolled out", blocks[2]!["text"]!.GetValue<string>());
        Assert.Equal("Acme Corp · build-42", blocks[3]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void TeamsConnectorsGetAMessageCard()
    {
        var body = TeamsMessage.Build(Event("build_failed"), TeamsFlavor.Connector);
        Assert.Equal("MessageCard", body["@type"]!.GetValue<string>());
        Assert.Equal("E01E5A", body["themeColor"]!.GetValue<string>());
        Assert.Equal("❌ Build failed", body["title"]!.GetValue<string>());
        Assert.Equal("Version", body["sections"]![0]!["facts"]![2]!["name"]!.GetValue<string>());
        Assert.Null(body["card"]);
    }

    [Fact]
    public void DiscordGetsAnEmbedWithMentionsSwitchedOff()
    {
        var body = DiscordMessage.Build(Event("submit_failed", message: "@everyone rejected"));
        var embed = body["embeds"]![0]!;
        Assert.Equal("❌ Submit failed", embed["title"]!.GetValue<string>());
        Assert.Equal(0xE01E5A, embed["color"]!.GetValue<int>());
        Assert.Equal("@everyone rejected", embed["description"]!.GetValue<string>());
        Assert.Equal("Platform", embed["fields"]![1]!["name"]!.GetValue<string>());
        Assert.Equal("Acme Corp · build-42", embed["footer"]!["text"]!.GetValue<string>());
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Theory]
    [InlineData(256)]
    [InlineData(1024)]
    public void CuttingTextForAChatLimitNeverSplitsACharacterBeyondTheBasicPlane(int limit)
    {
        var text = string.Concat(Enumerable.Repeat("\U0001F680", limit));

        var cut = EventFacts.Cut(text, limit);

        Assert.InRange(cut.Length, 1, limit);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
        Assert.True(System.Text.Unicode.Utf8.FromUtf16(cut, new byte[cut.Length * 3], out _, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done,
            "the cut text is valid Unicode (no unpaired surrogate)");
    }
}
