using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.Api;

/// <summary>A delivery as the API shows it; reading one delivery adds its event and attempts.</summary>
public sealed record DeliveryResponse(
    string Id,
    string WebhookId,
    string EventId,
    string EventType,
    string Status,
    int AttemptCount,
    int? LastStatusCode,
    double? LastDurationMs,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? NextAttemptAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? Event = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AttemptResponse>? Attempts = null)
{
    public static DeliveryResponse From(DeliveryRecord d) => new(
        d.DeliveryId,
        d.WebhookId,
        d.EventId,
        d.EventType,
        DeliveryProgress.CodeOf(d.Status),
        d.AttemptCount,
        d.LastStatusCode,
        d.LastDuration is { } last ? Milliseconds(last) : null,
        d.FailureReason,
        d.CreatedAt,
        d.FinishedAt,
        d.NextAttemptAt);

    public static DeliveryResponse From(DeliveryWithAttempts found) => From(found.Delivery) with
    {
        Event = found.Delivery.Event is { } stored ? JsonNode.Parse(stored) : null,
        Attempts = [.. found.Attempts.Select(AttemptResponse.From)],
    };

    /// <summary>A duration as the API shows it: milliseconds to one decimal.</summary>
    internal static double Milliseconds(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 1);
}

/// <summary>One attempt: what was sent (no secret: chat URLs are masked) and what came back (truncated).</summary>
public sealed record AttemptResponse(
    int Number,
    int Run,
    DateTimeOffset AttemptedAt,
    double DurationMs,
    string Url,
    AttemptRequest Request,
    AttemptReply? Response,
    string? Error)
{
    public static AttemptResponse From(AttemptRecord a) => new(
        a.Number,
        a.Run,
        a.AttemptedAt,
        DeliveryResponse.Milliseconds(a.Duration),
        a.Url,
        new AttemptRequest(Headers(a.RequestHeaders), a.RequestBody),
        a.ResponseStatus is { } status ? new AttemptReply(status, Headers(a.ResponseHeaders), a.ResponseBody) : null,
        a.Error);

    private static Dictionary<string, string> Headers(IReadOnlyList<KeyValuePair<string, string>> headers) =>
        headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.Value)), StringComparer.OrdinalIgnoreCase);
}

/// <summary>The request of an attempt.</summary>
public sealed record AttemptRequest(IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>The response of an attempt, its body cut at the configured limit.</summary>
public sealed record AttemptReply(int StatusCode, IReadOnlyDictionary<string, string> Headers, string? Body);

/// <summary>A page of deliveries, newest first; pass <see cref="NextPageToken"/> as <c>pageToken</c> for the next one.</summary>
public sealed record DeliveryListResponse(IReadOnlyList<DeliveryResponse> Data, string? NextPageToken);

/// <summary>The answer to a recover request.</summary>
public sealed record RecoverResponse(int Resent, bool Complete);

/// <summary>An accepted event: it is on the events queue and will be fanned out.</summary>
public sealed record EventAcceptedResponse(string Id, string Type, string OrganizationId);
