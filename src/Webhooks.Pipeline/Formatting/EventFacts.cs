using System.Text.Json.Nodes;
using Webhooks.Events;

namespace Webhooks.Formatting;

/// <summary>The labelled facts chat messages show, in order, each only when the event has it.</summary>
public static class EventFacts
{
    private static readonly (string Label, string Field)[] DataFields =
    [
        ("Platform", "platform"),
        ("Version", "version"),
        ("Build number", "buildNumber"),
        ("Configuration", "configuration"),
        ("Distribution", "distributionType"),
    ];

    public static IReadOnlyList<(string Label, string Value)> Of(WebhookEvent e)
    {
        var facts = new List<(string, string)>();
        var project = e.Project ?? Text(e.Data, "projectName");
        if (project is not null)
        {
            facts.Add(("Project", project));
        }
        foreach (var (label, field) in DataFields)
        {
            if (Text(e.Data, field) is { } value)
            {
                facts.Add((label, value));
            }
        }
        return facts;
    }

    /// <summary>The heading every chat format shows: status emoji and the event type in words.</summary>
    public static string Title(WebhookEvent e) => $"{EventOutcomes.Emoji(EventOutcomes.Of(e))} {EventOutcomes.Title(e.Type)}";

    /// <summary>The footer every chat format shows: the organization and, when known, the operation id.</summary>
    public static string Footer(WebhookEvent e)
    {
        var organization = e.Organization.Name ?? e.Organization.Id;
        return OperationId(e) is { } operation ? $"{organization} · {operation}" : organization;
    }

    /// <summary>Shortens text to a chat service's limit (UTF-16 characters), marking the cut with an ellipsis.</summary>
    public static string Cut(string text, int limit) => Model.TextCut.Bounded(text, limit, "…");

    /// <summary>The product's id for the operation (build, submission, update), shown in footers.</summary>
    public static string? OperationId(WebhookEvent e) => Text(e.Data, "id");

    private static string? Text(JsonObject data, string field) => data[field] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) => s,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };
}
