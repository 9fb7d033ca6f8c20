using System.Text.Json.Nodes;
using Webhooks.Events;

namespace Webhooks.Formatting;

/// <summary>Whether an event reports a success or a failure, which chat messages show as ✅ / ❌ and colour.</summary>
public enum EventOutcome
{
    Neutral,
    Success,
    Failure,
}

/// <summary>Reads the outcome from the event type's suffix, else from <c>data.status</c>.</summary>
public static class EventOutcomes
{
    private static readonly string[] SuccessWords = ["completed", "succeeded", "success", "published", "passed"];
    private static readonly string[] FailureWords = ["failed", "failure", "canceled", "cancelled", "errored", "error", "disabled"];

    public static EventOutcome Of(WebhookEvent e)
    {
        var suffix = e.Type[(e.Type.LastIndexOfAny(['_', '.']) + 1)..];
        return Classify(suffix) is var fromType && fromType != EventOutcome.Neutral
            ? fromType
            : Classify(e.Data["status"] is JsonValue v && v.TryGetValue<string>(out var status) ? status : null);
    }

    private static EventOutcome Classify(string? word) =>
        word is null ? EventOutcome.Neutral
        : SuccessWords.Contains(word, StringComparer.OrdinalIgnoreCase) ? EventOutcome.Success
        : FailureWords.Contains(word, StringComparer.OrdinalIgnoreCase) ? EventOutcome.Failure
        : EventOutcome.Neutral;

    /// <summary>"build_completed" → "Build completed".</summary>
    public static string Title(string eventType)
    {
        var words = eventType.Replace('_', ' ').Replace('.', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    public static string Emoji(EventOutcome outcome) => outcome switch
    {
        EventOutcome.Success => "✅",
        EventOutcome.Failure => "❌",
        _ => "ℹ️",
    };
}
