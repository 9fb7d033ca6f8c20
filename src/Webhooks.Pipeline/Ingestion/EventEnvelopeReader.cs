using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.Management;
using Webhooks.Model;

namespace Webhooks.Ingestion;

/// <summary>
/// Parses and checks an event envelope. Every rule failure names the field, so a queued event can
/// go to the poison queue with its reason and an HTTP one can get a 400 problem.
/// </summary>
public sealed class EventEnvelopeReader(EventTypeCatalog catalog)
{
    public const int MaxEventBytes = 48 * 1024;
    public const int MaxIdLength = 128;
    public const int MaxMessageLength = 2000;
    public const int MaxProjectLength = 200;

    /// <summary>Reads an event a producer sent, checking every rule including that its type is in the catalogue.</summary>
    public WebhookEvent Read(ReadOnlySpan<byte> json) => Parse(json, catalog);

    /// <summary>
    /// Reads an event the pipeline stored after checking it. The catalogue is not consulted again:
    /// a type removed from it since must not strand deliveries already made.
    /// </summary>
    public static WebhookEvent ReadStored(ReadOnlySpan<byte> json) => Parse(json, catalog: null);

    private static WebhookEvent Parse(ReadOnlySpan<byte> json, EventTypeCatalog? catalog)
    {
        if (json.Length > MaxEventBytes)
        {
            throw ValidationException.For("body", $"an event must be at most {MaxEventBytes} bytes; this one is {json.Length}.");
        }
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw ValidationException.For("body", "an event must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw ValidationException.For("body", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        var id = Text(root, "id");
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || id.Any(char.IsControl))
        {
            Fail("id", $"is required: a producer-chosen id of 1 to {MaxIdLength} printable characters.");
        }
        var type = Text(root, "type");
        if (string.IsNullOrWhiteSpace(type))
        {
            Fail("type", "is required.");
        }
        else if (catalog is not null && !catalog.Contains(type))
        {
            Fail("type", $"is not a known event type: {type}.");
        }
        DateTimeOffset occurredAt = default;
        if (Text(root, "occurredAt") is not { } when || !DateTimeOffset.TryParse(when, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out occurredAt))
        {
            Fail("occurredAt", "is required: an ISO 8601 date and time.");
        }
        EventOrganization? organization = null;
        if (root["organization"] is not JsonObject org)
        {
            Fail("organization", "is required: an object with id and name.");
        }
        else if (!ResourceIds.IsValidOrganizationId(Text(org, "id")))
        {
            Fail("organization.id", "is required: 1 to 64 letters, digits, '-' or '_'.");
        }
        else
        {
            organization = new EventOrganization(Text(org, "id")!, Text(org, "name"));
        }
        var project = Text(root, "project");
        if (project is { Length: > MaxProjectLength })
        {
            Fail("project", $"must be at most {MaxProjectLength} characters.");
        }
        if (root["data"] is not null and not JsonObject)
        {
            Fail("data", "must be a JSON object.");
        }
        var message = Text(root, "message");
        if (message is { Length: > MaxMessageLength })
        {
            Fail("message", $"must be at most {MaxMessageLength} characters.");
        }
        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }
        return new WebhookEvent
        {
            Id = id!,
            Type = type!,
            OccurredAt = occurredAt,
            Organization = organization!,
            Project = string.IsNullOrWhiteSpace(project) ? null : project.Trim(),
            Data = (root["data"] as JsonObject)?.DeepClone().AsObject() ?? [],
            Message = string.IsNullOrWhiteSpace(message) ? null : message,
        };
    }

    private static string? Text(JsonObject parent, string name) =>
        parent[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
