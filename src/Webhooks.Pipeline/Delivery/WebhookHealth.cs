using System.Globalization;
using Webhooks.Model;

namespace Webhooks.Delivery;

/// <summary>
/// When a webhook is given up on, as a pure rule: at once when its endpoint answers 410 Gone;
/// otherwise when a delivery exhausts its retries (or its destination is refused) and the webhook
/// has had no successful delivery for the whole window (default 5 days). A success ends a failure streak; so does re-enabling.
/// </summary>
public static class WebhookHealth
{
    public const string GoneReason = "The endpoint answered 410 Gone: it asked not to be sent anything again.";

    /// <summary>What an exhausted run (started at <paramref name="runStartedAt"/>) means for its webhook at <paramref name="now"/>.</summary>
    public static HealthVerdict OnExhausted(Webhook webhook, DateTimeOffset runStartedAt, DateTimeOffset now, TimeSpan window)
    {
        // A recorded streak counts only if no success came after it began; a success ends it.
        var streak = webhook.FailingSince is { } since && !(webhook.LastSuccessAt >= since) ? since : (DateTimeOffset?)null;
        var failingSince = streak is { } s && s < runStartedAt ? s : runStartedAt;
        if (webhook.LastSuccessAt is { } success && success > failingSince)
        {
            failingSince = success;
        }
        return now - failingSince >= window
            ? new HealthVerdict(failingSince, $"No delivery succeeded for {Describe(window)} and deliveries exhausted their retries.")
            : new HealthVerdict(failingSince, DisableReason: null);
    }

    private static string Describe(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays % 1 == 0 => Plural(span.TotalDays, "day"),
        { TotalHours: >= 1 } when span.TotalHours % 1 == 0 => Plural(span.TotalHours, "hour"),
        { TotalMinutes: >= 1 } when span.TotalMinutes % 1 == 0 => Plural(span.TotalMinutes, "minute"),
        _ => Plural(Math.Round(span.TotalSeconds, 1), "second"),
    };

    private static string Plural(double value, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{value} {unit}{(value == 1 ? "" : "s")}");
}

/// <summary>Since when the webhook has been failing, and the reason to disable it now (null: not yet).</summary>
public sealed record HealthVerdict(DateTimeOffset FailingSince, string? DisableReason);
