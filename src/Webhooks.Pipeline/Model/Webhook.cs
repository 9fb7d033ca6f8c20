namespace Webhooks.Model;

/// <summary>
/// A customer's registered endpoint. Carries no secret: a generic webhook's signing secret and a
/// chat webhook's URL (which embeds a token) live in the secret store, referenced by version.
/// </summary>
public sealed record Webhook
{
    public required string OrganizationId { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required WebhookType Type { get; init; }

    /// <summary>Set for Teams webhooks only.</summary>
    public TeamsFlavor? TeamsFlavor { get; init; }

    /// <summary>The endpoint of a generic webhook. Null for chat webhooks, whose URL is a secret.</summary>
    public string? Url { get; init; }

    /// <summary>What responses show: the full URL of a generic webhook, a masked one otherwise.</summary>
    public required string DisplayUrl { get; init; }

    public required EventSubscription Events { get; init; }

    /// <summary>The most deliveries per second the endpoint receives, across every host; null: the service default.</summary>
    public int? RateLimit { get; init; }

    /// <summary>Deliveries carry a W3C <c>traceparent</c> header naming the attempt's span, so the endpoint's own traces can join the pipeline's.</summary>
    public bool TraceContext { get; init; }

    public required ProjectFilter Projects { get; init; }
    public required bool Enabled { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? LastTriggeredAt { get; init; }
    public int? LastStatusCode { get; init; }

    /// <summary>When a delivery last succeeded; failing since after it is what auto-disable measures.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>
    /// Set when a delivery is exhausted: since when the endpoint has failed without a success in
    /// between. Ignored once <see cref="LastSuccessAt"/> is later; cleared by re-enabling.
    /// </summary>
    public DateTimeOffset? FailingSince { get; init; }
    public string? DisabledReason { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }
    public required SecretReferences Secrets { get; init; }

    /// <summary>The storage version of the row: writes are conditional on it. Activity write-backs change it.</summary>
    public string ETag { get; init; } = "";

    /// <summary>The HTTP ETag: changes with the configuration, not with delivery activity (see <see cref="WebhookVersion"/>).</summary>
    public string Version => WebhookVersion.Of(this);

    /// <summary>Whether this webhook should receive <paramref name="eventType"/> from <paramref name="project"/>.</summary>
    public bool Matches(string eventType, string? project) =>
        Enabled && Events.Includes(eventType) && Projects.Admits(project);
}
