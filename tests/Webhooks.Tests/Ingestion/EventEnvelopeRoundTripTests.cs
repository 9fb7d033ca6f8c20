using System.Text.Json.Nodes;
using Webhooks.Events;

namespace Webhooks.Tests.Ingestion;

/// <summary>An event written as an envelope reads back as the same event, unicode and offsets included.</summary>
public sealed class EventEnvelopeRoundTripTests
{
    private static WebhookEvent Event(string? project = "mon-appli ✨", string? message = "Build réussi 🎉 — 完成", string? organizationName = "Acme Ünïcode GmbH") => new()
    {
        Id = "evt_ü_1",
        Type = "build_completed",
        OccurredAt = new DateTimeOffset(2026, 3, 1, 14, 5, 6, 789, TimeSpan.FromHours(2)).AddTicks(1234),
        Organization = new EventOrganization("org-1", organizationName),
        Project = project,
        Data = new JsonObject
        {
            ["platform"] = "ios",
            ["buildNumber"] = 117,
            ["notes"] = "<b>&</b> \"quoted\" 日本語 😀",
            ["nested"] = new JsonObject { ["list"] = new JsonArray(1, "two", null, true) },
        },
        Message = message,
    };

    private static void AssertSame(WebhookEvent expected, WebhookEvent actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.OccurredAt, actual.OccurredAt);
        Assert.Equal(expected.OccurredAt.Offset, actual.OccurredAt.Offset);
        Assert.Equal(expected.Organization, actual.Organization);
        Assert.Equal(expected.Project, actual.Project);
        Assert.Equal(expected.Message, actual.Message);
        Assert.True(JsonNode.DeepEquals(expected.Data, actual.Data), $"{expected.Data.ToJsonString()} != {actual.Data.ToJsonString()}");
    }

    [Fact]
    public void AWrittenEventReadsBackUnchangedWithUnicodeKept()
    {
        var e = Event();

        AssertSame(e, EventEnvelopeReader.ReadStored(EventEnvelopeWriter.Write(e)));
    }

    [Fact]
    public void AccentsAndBmpCharactersAreWrittenAsUtf8RatherThanEscaped()
    {
        var text = System.Text.Encoding.UTF8.GetString(EventEnvelopeWriter.Write(Event()));

        // Characters outside the BMP (most emoji) are \u-escaped surrogate pairs by System.Text.Json whatever the encoder; they still read back (above).
        Assert.Contains("Build réussi", text, StringComparison.Ordinal);
        Assert.Contains("— 完成", text, StringComparison.Ordinal);
        Assert.Contains("日本語", text, StringComparison.Ordinal);
        Assert.Contains("Acme Ünïcode GmbH", text, StringComparison.Ordinal);
        Assert.Contains("<b>&</b>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalPartsLeftOutStayLeftOut()
    {
        var e = Event(project: null, message: null, organizationName: null);

        var written = JsonNode.Parse(EventEnvelopeWriter.Write(e))!.AsObject();
        AssertSame(e, EventEnvelopeReader.ReadStored(EventEnvelopeWriter.Write(e)));
        Assert.False(written.ContainsKey("project"));
        Assert.False(written.ContainsKey("message"));
        Assert.False(written["organization"]!.AsObject().ContainsKey("name"));
    }
}
