using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Webhooks.Events;
using Webhooks.Model;

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
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastTriggeredAt,
    int? LastStatusCode,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    public static WebhookResponse From(Webhook webhook, string? secret = null) => new(
        webhook.Id,
        webhook.OrganizationId,
        webhook.Name,
        WireNames.Of(webhook.Type),
        webhook.TeamsFlavor is { } flavor ? WireNames.Of(flavor) : null,
        webhook.DisplayUrl,
        webhook.Events.ToWire(),
        ProjectFilterResponse.From(webhook.Projects),
        webhook.Enabled,
        webhook.CreatedAt,
        webhook.UpdatedAt,
        webhook.LastTriggeredAt,
        webhook.LastStatusCode,
        webhook.DisabledReason,
        webhook.DisabledAt,
        secret);
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
