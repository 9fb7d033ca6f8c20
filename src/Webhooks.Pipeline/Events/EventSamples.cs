using System.Text.Json.Nodes;
using Webhooks.Model;

namespace Webhooks.Events;

/// <summary>
/// A sample event of each type, as a producer would publish it, for the catalogue's readers (the
/// dashboard shows it beside the type). The same values every time, so the catalogue can be cached
/// and compared; a test runs every sample through the reader and the published schema.
/// </summary>
public static class EventSamples
{
    private static readonly DateTimeOffset OccurredAt = new(2026, 1, 15, 9, 30, 0, TimeSpan.Zero);
    private static readonly EventOrganization Organization = new("acme", "Acme Mobile");

    /// <summary>The envelope of a sample event of <paramref name="eventType"/>.</summary>
    public static JsonObject EnvelopeOf(string eventType) =>
        JsonNode.Parse(EventEnvelopeWriter.Write(Of(eventType)))!.AsObject();

    public static WebhookEvent Of(string eventType) => eventType == SystemEventTypes.WebhookDisabled
        ? new WebhookEvent
        {
            Id = "evt_sample_" + eventType,
            Type = eventType,
            OccurredAt = OccurredAt,
            Organization = Organization,
            Data = new JsonObject
            {
                ["webhookId"] = "wh_01JH2X4Y6Z8A0B2C4D6E8F0G2H",
                ["webhookName"] = "Build notifications",
                ["url"] = "https://receiver.example.com/hooks",
                ["reason"] = "The endpoint failed every delivery for 5 days.",
                ["disabledAt"] = "2026-01-15T09:30:00.000Z",
            },
            Message = "Webhook \"Build notifications\" was disabled: The endpoint failed every delivery for 5 days.",
        }
        : Product(eventType);

    /// <summary>A product event: the subject and outcome read from a <c>subject_outcome</c> name, as chat formats read them.</summary>
    private static WebhookEvent Product(string eventType)
    {
        var split = eventType.LastIndexOf('_');
        var subject = split > 0 ? eventType[..split] : eventType;
        var status = split > 0 ? eventType[(split + 1)..] : "completed";
        return new WebhookEvent
        {
            // A catalogue type is 1 to 100 printable characters, so the id stays within the id rules.
            Id = "evt_sample_" + eventType,
            Type = eventType,
            OccurredAt = OccurredAt,
            Organization = Organization,
            Project = "my-app",
            Data = new JsonObject
            {
                ["id"] = "op_1042",
                ["projectName"] = "my-app",
                ["platform"] = "ios",
                ["version"] = "2.4.0",
                ["buildNumber"] = 117,
                ["configuration"] = "release",
                ["distributionType"] = "app-store",
                ["status"] = status,
            },
            Message = $"{subject} of my-app 2.4.0 (117): {status}.",
        };
    }
}
