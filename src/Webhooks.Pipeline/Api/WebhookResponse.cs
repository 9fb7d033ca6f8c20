using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Protection;

namespace Webhooks.Api;

/// <summary>A webhook as the API shows it. Chat webhook URLs are masked; the secret appears only on create and regenerate.</summary>
public sealed record WebhookResponse(
    string Id,
    string OrganizationId,
    string Name,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TeamsFlavor,
    string Url,
    IReadOnlyList<string> Events,
    ProjectFilterResponse Projects,
    int? RateLimit,
    bool TraceContext,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastTriggeredAt,
    int? LastStatusCode,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    /// <summary>How the pipeline is treating the endpoint now.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EndpointProtectionResponse? Protection { get; init; }

    public static WebhookResponse From(Webhook webhook, string? secret = null) => new(
        webhook.Id,
        webhook.OrganizationId,
        webhook.Name,
        WireNames.Of(webhook.Type),
        webhook.TeamsFlavor is { } flavor ? WireNames.Of(flavor) : null,
        webhook.DisplayUrl,
        webhook.Events.ToWire(),
        ProjectFilterResponse.From(webhook.Projects),
        webhook.RateLimit,
        webhook.TraceContext,
        webhook.Enabled,
        webhook.CreatedAt,
        webhook.UpdatedAt,
        webhook.LastTriggeredAt,
        webhook.LastStatusCode,
        webhook.DisabledReason,
        webhook.DisabledAt,
        secret);
}

/// <summary>
/// The endpoint's protection as the pipeline applies it: the rate deliveries go at (null: no limit)
/// and why (<c>limit</c>: the webhook's or the service's limit; <c>slowed</c>: the endpoint answered
/// 429 or 503; <c>paused</c>: it asked for a pause with Retry-After, until <see cref="PausedUntil"/>;
/// <c>circuit_open</c>: it is failing, and only probes go), and its circuit (<c>closed</c>,
/// <c>open</c>, or <c>probing</c> while a probe is out).
/// </summary>
public sealed record EndpointProtectionResponse(
    double? EffectiveRate,
    string? Reason,
    DateTimeOffset? PausedUntil,
    string Circuit,
    int ConsecutiveFailures,
    DateTimeOffset? CircuitOpenedAt,
    DateTimeOffset? NextProbeAt)
{
    public static EndpointProtectionResponse From(EndpointState state, int? limit, DateTimeOffset now)
    {
        var paused = state.PausedUntil > now ? state.PausedUntil : null;
        var rate = EndpointAdmission.EffectiveRate(state, limit);
        var reason = state.CircuitOpen ? "circuit_open" : paused is not null ? "paused" : state.SlowedRate is not null && rate < (limit ?? double.MaxValue) ? "slowed" : rate is not null ? "limit" : null;
        var circuit = !state.CircuitOpen ? "closed" : state.ProbeOutUntil > now ? "probing" : "open";
        return new(rate is { } r ? Math.Round(r, 3) : null, reason, paused, circuit, state.ConsecutiveFailures, state.CircuitOpenedAt, state.NextProbeAt);
    }
}

/// <summary>The project filter as shown: at most one of the lists is present.</summary>
public sealed record ProjectFilterResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Include,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Exclude)
{
    public static ProjectFilterResponse From(ProjectFilter filter) => filter.Mode switch
    {
        ProjectFilterMode.Include => new(filter.Projects, null),
        ProjectFilterMode.Exclude => new(null, filter.Projects),
        _ => new(null, null),
    };
}

/// <summary>A page of webhooks; pass <see cref="NextPageToken"/> as <c>pageToken</c> for the next one.</summary>
public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Data, string? NextPageToken);

/// <summary>
/// The answer to a secret regeneration: the new secret, shown once, and until when the newest
/// predecessor still signs (null when none does: revoked, or no predecessors are kept).
/// </summary>
public sealed record RegeneratedSecretResponse(string WebhookId, string Secret, DateTimeOffset? PreviousSecretValidUntil);

/// <summary>The event type catalogue.</summary>
public sealed record EventTypeListResponse(IReadOnlyList<EventTypeResponse> Data);

/// <summary>A catalogue entry with a complete sample envelope of its type, as producers publish it.</summary>
public sealed record EventTypeResponse(string Name, string Description, JsonObject Sample)
{
    public static EventTypeResponse From(EventTypeDefinition type) => new(type.Name, type.Description, EventSamples.EnvelopeOf(type.Name));
}

/// <summary>An organization that has (or had) webhooks.</summary>
public sealed record OrganizationResponse(string Id, int WebhookCount);

/// <summary>A page of organizations; pass <see cref="NextPageToken"/> as <c>pageToken</c> for the next one.</summary>
public sealed record OrganizationListResponse(IReadOnlyList<OrganizationResponse> Data, string? NextPageToken);
