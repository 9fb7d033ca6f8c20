using System.Text.Json.Nodes;
using Webhooks.Events;
using Webhooks.Formatting;
using Webhooks.Model;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Formatting;

/// <summary>
/// A Teams workflow body serves both kinds of flow: the seed's, which reads <c>card</c>, and
/// Microsoft's ready-made template, which reads <c>attachments[].content</c> of a message; the
/// attachment is an Adaptive Card the Adaptive Cards parser reads without an error or a warning.
/// </summary>
public sealed class TeamsAttachmentTests
{
    public static TheoryData<string> EventTypes() => ["build_completed", "build_failed", SystemEventTypes.WebhookDisabled, "custom_event"];

    [Theory]
    [MemberData(nameof(EventTypes))]
    public async Task AWorkflowBodyIsAMessageWhoseAttachmentIsTheCardAndParsesCleanly(string eventType)
    {
        var body = TeamsMessage.Build(EventSamples.Of(eventType), TeamsFlavor.Workflow);

        Assert.Equal("message", body["type"]!.GetValue<string>());
        var attachment = Assert.Single(body["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(body["card"], attachment["content"]), "the attachment is the same card as card");
        Assert.Equal("[]", await AdaptiveCardsParserEventsAsync(attachment["content"]!));
    }

    [Fact]
    public async Task TheParserReportsACardItCannotRead()
    {
        // The check above is only worth something if the parser does complain about a bad card.
        var bad = new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.5", ["body"] = new JsonArray(new JsonObject { ["type"] = "NoSuchElement" }) };

        Assert.NotEqual("[]", await AdaptiveCardsParserEventsAsync(bad));
    }

    [Fact]
    public void AConnectorBodyStaysAMessageCardWithoutAttachments()
    {
        var body = TeamsMessage.Build(EventSamples.Of("build_completed"), TeamsFlavor.Connector);

        Assert.Equal("MessageCard", body["@type"]!.GetValue<string>());
        Assert.Null(body["attachments"]);
    }

    /// <summary>What the npm adaptivecards parser reports (errors and warnings) about <paramref name="card"/>, as JSON.</summary>
    private static Task<string> AdaptiveCardsParserEventsAsync(JsonNode card) => NodeScript.RunAsync("""
        const AC = require("adaptivecards/dist/adaptivecards.js");
        const context = new AC.SerializationContext();
        new AC.AdaptiveCard().parse(JSON.parse(process.env.CARD), context);
        const events = [];
        for (let i = 0; i < context.eventCount; i++) { events.push(context.getEventAt(i)); }
        console.log(JSON.stringify(events));
        """,
        ("CARD", card.ToJsonString()));
}
