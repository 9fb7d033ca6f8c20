using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Delivery;

/// <summary>
/// A failed build with few facts and no message, delivered to a webhook of each type: failure
/// colours and ❌, and nothing shown for what the event does not have.
/// </summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class FailedEventBodiesTests(AzuriteFixture storage)
{
    private static readonly Lock Gate = new();
    private static Task<FormatScenario>? scenario;

    private static readonly string[] AbsentLabels = ["Project", "Version", "Build number", "Configuration", "Distribution"];

    private Task<FormatScenario> Scenario()
    {
        lock (Gate)
        {
            return scenario ??= FormatScenario.RunAsync(storage, h => TestEvents.Envelope(h.Org,
                type: "build_failed",
                project: null,
                data: new { platform = "android", id = "bld_7" },
                message: null));
        }
    }

    [Fact]
    public async Task TheGenericWebhookGetsANullProjectAndNoMessage()
    {
        var body = (await Scenario()).Body(FormatScenario.Generic);

        Assert.Equal("build_failed", body.GetProperty("event").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("project").ValueKind);
        Assert.False(body.TryGetProperty("message", out _));
        Assert.Equal("android", body.GetProperty("data").GetProperty("platform").GetString());
    }

    [Fact]
    public async Task SlackShowsACrossAndOnlyTheFactsPresent()
    {
        var body = (await Scenario()).Body(FormatScenario.Slack);

        var blocks = body.GetProperty("blocks").EnumerateArray().ToArray();
        Assert.Equal(["header", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("❌ Build failed", blocks[0].GetProperty("text").GetProperty("text").GetString());
        var field = Assert.Single(blocks[1].GetProperty("fields").EnumerateArray());
        Assert.Equal("*Platform*\nandroid", field.GetProperty("text").GetString());
        Assert.Equal("Acme Mobile · bld_7", blocks[2].GetProperty("elements")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task TheTeamsWorkflowCardIsColouredAttentionWithOnlyTheFactsPresent()
    {
        var body = (await Scenario()).Body(FormatScenario.TeamsWorkflow);

        Assert.Equal("❌ Build failed", body.GetProperty("text").GetString());
        Assert.False(body.TryGetProperty("message", out _));
        var blocks = body.GetProperty("card").GetProperty("body").EnumerateArray().ToArray();
        Assert.Equal("Attention", blocks[0].GetProperty("color").GetString());
        var factSet = Assert.Single(blocks, b => b.GetProperty("type").GetString() == "FactSet");
        var fact = Assert.Single(factSet.GetProperty("facts").EnumerateArray());
        Assert.Equal("Platform", fact.GetProperty("title").GetString());
        Assert.Equal("android", fact.GetProperty("value").GetString());
        // Title, facts, footer: no message block.
        Assert.Equal(3, blocks.Length);
    }

    [Fact]
    public async Task TheTeamsConnectorCardHasTheFailureColourAndOnlyTheFactsPresent()
    {
        var body = (await Scenario()).Body(FormatScenario.TeamsConnector);

        Assert.Equal("MessageCard", body.GetProperty("@type").GetString());
        Assert.Equal("E01E5A", body.GetProperty("themeColor").GetString());
        Assert.Equal("❌ Build failed", body.GetProperty("title").GetString());
        var section = Assert.Single(body.GetProperty("sections").EnumerateArray());
        var fact = Assert.Single(section.GetProperty("facts").EnumerateArray());
        Assert.Equal("Platform", fact.GetProperty("name").GetString());
        Assert.False(section.TryGetProperty("text", out _));
    }

    [Fact]
    public async Task DiscordHasTheFailureColourOnlyTheFactsPresentAndNoDescription()
    {
        var body = (await Scenario()).Body(FormatScenario.Discord);

        var embed = Assert.Single(body.GetProperty("embeds").EnumerateArray());
        Assert.Equal(0xE01E5A, embed.GetProperty("color").GetInt32());
        Assert.Equal("❌ Build failed", embed.GetProperty("title").GetString());
        var field = Assert.Single(embed.GetProperty("fields").EnumerateArray());
        Assert.Equal("Platform", field.GetProperty("name").GetString());
        Assert.False(embed.TryGetProperty("description", out _));
        Assert.Equal("Acme Mobile · bld_7", embed.GetProperty("footer").GetProperty("text").GetString());
    }

    [Fact]
    public async Task NoChatFormatShowsALabelForAFactTheEventLacks()
    {
        var s = await Scenario();

        foreach (var chat in new[] { FormatScenario.Slack, FormatScenario.Discord, FormatScenario.TeamsWorkflow, FormatScenario.TeamsConnector })
        {
            var text = s.On(chat).Body;
            Assert.Contains("Platform", text, StringComparison.Ordinal);
            Assert.All(AbsentLabels, label =>
            {
                Assert.DoesNotContain($"\"{label}\"", text, StringComparison.Ordinal);
                Assert.DoesNotContain($"*{label}*", text, StringComparison.Ordinal);
            });
        }
    }
}
