using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Ingestion;

/// <summary>
/// Events that arrive over HTTP (<c>POST /api/orgs/{orgId}/events</c>), for producers that cannot
/// reach the queue: the same checks as queued events, plus the route's organization, then the same
/// path as every other event.
/// </summary>
public sealed class EventIntake(EventEnvelopeReader reader, EventPublisher publisher)
{
    public async Task<WebhookEvent> AcceptAsync(string organizationId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var e = reader.Read(body.Span);
        if (!string.Equals(e.Organization.Id, organizationId, StringComparison.Ordinal))
        {
            throw ValidationException.For("organization.id", $"must be the organization in the route ({organizationId}), not {e.Organization.Id}.");
        }
        await publisher.PublishAsync(e, cancellationToken);
        return e;
    }
}
