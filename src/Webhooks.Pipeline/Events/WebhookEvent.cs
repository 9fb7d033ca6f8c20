using System.Text.Json.Nodes;

namespace Webhooks.Events;

/// <summary>
/// The envelope producers publish: what happened (<see cref="Type"/>), to which organization and
/// project, with the product's own <see cref="Data"/>. See <c>schemas/webhook-event.schema.json</c>.
/// </summary>
public sealed record WebhookEvent
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required EventOrganization Organization { get; init; }
    public string? Project { get; init; }
    public required JsonObject Data { get; init; }
    public string? Message { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the span that published the event (the pipeline's fan-out once stored), so its deliveries join that trace.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>The organization an event belongs to; its id partitions everything stored about it.</summary>
public sealed record EventOrganization(string Id, string? Name);
