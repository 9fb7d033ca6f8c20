using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Webhooks.Model;
using Webhooks.Tracing;

namespace Webhooks.Events;

/// <summary>
/// Parses and checks an event envelope against <c>schemas/webhook-event.schema.json</c> (a test keeps
/// the two in step). Every rule failure names the field, so a queued event can go to the poison queue
/// with its reason and an HTTP one can get a 400 problem. Messages never quote more than a bounded
/// excerpt of the input.
/// </summary>
public sealed partial class EventEnvelopeReader(EventTypeCatalog catalog)
{
    public const int MaxEventBytes = 48 * 1024;
    public const int MaxIdLength = 128;
    public const int MaxTypeLength = 100;
    public const int MaxMessageLength = 2000;
    public const int MaxProjectLength = 200;
    public const int MaxOrganizationNameLength = 200;

    private static readonly JsonDocumentOptions ParseOptions = new() { AllowDuplicateProperties = false };

    /// <summary>Reads an event a producer sent, checking every rule including that its type is in the catalogue.</summary>
    public WebhookEvent Read(ReadOnlySpan<byte> json) => Parse(json, catalog, producerRules: true);

    /// <summary>
    /// Reads an event the pipeline stored after checking it, with only the checks needed to build it.
    /// Neither the catalogue nor the producer rules on characters, lengths and formats apply again:
    /// an event stored before a type was removed or a rule tightened must not strand its deliveries
    /// (a retry or resend reads it outside the attempt that would record the failure).
    /// </summary>
    public static WebhookEvent ReadStored(ReadOnlySpan<byte> json) => Parse(json, catalog: null, producerRules: false);

    /// <summary>Every producer rule except the catalogue: what <c>schemas/webhook-event.schema.json</c> says.</summary>
    internal static WebhookEvent ReadAnyType(ReadOnlySpan<byte> json) => Parse(json, catalog: null, producerRules: true);

    private static WebhookEvent Parse(ReadOnlySpan<byte> json, EventTypeCatalog? catalog, bool producerRules)
    {
        // A stored event was measured when it arrived; the fan-out's traceparent may since have taken it a little past the cap.
        if (producerRules && json.Length > MaxEventBytes)
        {
            throw ValidationException.For("body", $"an event must be at most {MaxEventBytes} bytes; this one is {json.Length}.");
        }
        JsonObject root;
        try
        {
            if (producerRules)
            {
                JsonTextRules.Check(json);
            }
            root = JsonNode.Parse(json, documentOptions: ParseOptions) as JsonObject ?? throw ValidationException.For("body", "an event must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw ValidationException.For("body", $"is not valid JSON, or repeats a property name (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        var id = Required(root, "id", "id", Fail);
        if (id is not null && (producerRules ? !IsPrintableText(id, MaxIdLength) : string.IsNullOrWhiteSpace(id)))
        {
            Fail("id", $"must be 1 to {MaxIdLength} characters, not all spaces, without control or format characters (such as U+202E).");
        }
        var type = Required(root, "type", "type", Fail);
        if (type is not null && (producerRules ? !IsPrintableText(type, MaxTypeLength) : string.IsNullOrWhiteSpace(type)))
        {
            Fail("type", $"must be 1 to {MaxTypeLength} characters, not all spaces, without control or format characters.");
        }
        else if (type is not null && catalog is not null && !catalog.Contains(type))
        {
            Fail("type", $"is not a known event type: {type}.");
        }
        DateTimeOffset occurredAt = default;
        var when = Required(root, "occurredAt", "occurredAt", Fail);
        if (when is not null && ((producerRules && !DateTimeFormat().IsMatch(when)) || !DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out occurredAt)))
        {
            Fail("occurredAt", "must be an RFC 3339 date and time, e.g. 2025-01-31T12:00:00Z.");
        }
        EventOrganization? organization = null;
        switch (root["organization"])
        {
            case null:
                Fail("organization", "is required: an object with id and name.");
                break;
            case JsonObject org:
                var orgId = Required(org, "id", "organization.id", Fail);
                if (orgId is not null && !ResourceIds.IsValidOrganizationId(orgId))
                {
                    Fail("organization.id", "must be 1 to 64 letters, digits, '-' or '_'.");
                }
                var name = Optional(org, "name", "organization.name", Fail);
                if (producerRules && name is not null && CodePoints(name) > MaxOrganizationNameLength)
                {
                    Fail("organization.name", $"must be at most {MaxOrganizationNameLength} characters.");
                }
                organization = orgId is null ? null : new EventOrganization(orgId, name);
                break;
            default:
                Fail("organization", "must be an object with id and name.");
                break;
        }
        var project = Optional(root, "project", "project", Fail);
        if (producerRules && project is not null && CodePoints(project) > MaxProjectLength)
        {
            Fail("project", $"must be at most {MaxProjectLength} characters.");
        }
        if (root["data"] is not null and not JsonObject)
        {
            Fail("data", "must be a JSON object.");
        }
        var message = Optional(root, "message", "message", Fail);
        if (producerRules && message is not null && CodePoints(message) > MaxMessageLength)
        {
            Fail("message", $"must be at most {MaxMessageLength} characters.");
        }
        var traceParent = Optional(root, "traceparent", "traceparent", Fail);
        if (traceParent is not null && !PipelineTracing.IsValidTraceParent(traceParent))
        {
            if (producerRules)
            {
                Fail("traceparent", "must be a W3C traceparent: 00-<32 lower-case hex trace id>-<16 lower-case hex span id>-<2 hex flags>, ids not all zeros.");
            }
            traceParent = null;
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
            TraceParent = traceParent,
        };
    }

    /// <summary>A string property that must be there; another JSON type is refused, never read as absent.</summary>
    private static string? Required(JsonObject parent, string name, string field, Action<string, string> fail)
    {
        if (parent[name] is null)
        {
            fail(field, "is required.");
            return null;
        }
        return Optional(parent, name, field, fail);
    }

    /// <summary>A string property that may be absent or null; another JSON type is refused.</summary>
    private static string? Optional(JsonObject parent, string name, string field, Action<string, string> fail)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.String)
        {
            fail(field, $"must be a string, not {node.GetValueKind().ToString().ToLowerInvariant()}.");
            return null;
        }
        return node.GetValue<string>();
    }

    /// <summary>
    /// Ids and types are quoted in logs, tables and chat messages: no invisible control or format
    /// character (bidirectional overrides reorder what a reader sees) and not only spaces. Categories
    /// are per character, not per UTF-16 unit, so invisible tag characters (U+E0020–U+E007F) count too.
    /// </summary>
    private static bool IsPrintableText(string text, int maxLength) =>
        !string.IsNullOrWhiteSpace(text)
        && CodePoints(text) <= maxLength
        && !text.EnumerateRunes().Any(r => Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format);

    /// <summary>Lengths as JSON Schema counts them: Unicode characters, so a pair of surrogates is one.</summary>
    private static int CodePoints(string text) => text.Length - text.Count(char.IsLowSurrogate);

    /// <summary>RFC 3339 <c>date-time</c>, the schema's pattern; the calendar is then checked by parsing.</summary>
    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeFormat();
}
