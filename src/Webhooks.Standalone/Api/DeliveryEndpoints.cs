using Webhooks.Api;
using Webhooks.Delivery;

namespace Webhooks.Standalone.Api;

/// <summary>Routes of delivery history, resend, test and recover; every handler is one call into the library's <see cref="DeliveryApi"/>.</summary>
public static class DeliveryEndpoints
{
    /// <summary>A webhook's delivery routes, onto a group ending in <c>/orgs/{orgId}</c>; <paramref name="names"/> prefixes the endpoint names.</summary>
    public static RouteGroupBuilder MapDeliveryRoutes(this RouteGroupBuilder organization, string names)
    {
        var webhook = organization.MapGroup("/webhooks/{webhookId}").WithTags("Deliveries")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);

        webhook.MapGet("/deliveries", (string orgId, string webhookId, HttpRequest request, DeliveryApi handlers, CancellationToken ct) => handlers.ListAsync(orgId, webhookId, request, ct))
            .Produces<DeliveryListResponse>().WithName(names + "ListDeliveries")
            .WithSummary("A webhook's deliveries, newest first; query: status (pending, succeeded, failed, exhausted), eventType, limit, pageToken.");

        webhook.MapGet("/stats", (string orgId, string webhookId, DeliveryApi handlers, CancellationToken ct) => handlers.StatsAsync(orgId, webhookId, ct))
            .Produces<Webhooks.Management.WebhookStats>().WithName(names + "GetWebhookStats")
            .WithSummary("The last 24 hours of deliveries in hourly buckets by status, with response-time percentiles; reads at most Webhooks:Dashboard:StatsMaxDeliveries rows (truncated says when that cut it short).");

        webhook.MapGet("/deliveries/{deliveryId}", (string orgId, string webhookId, string deliveryId, DeliveryApi handlers, CancellationToken ct) => handlers.GetAsync(orgId, webhookId, deliveryId, ct))
            .Produces<DeliveryResponse>().WithName(names + "GetDelivery").WithSummary("One delivery with its event and every attempt.");

        webhook.MapPost("/deliveries/{deliveryId}/resend", (string orgId, string webhookId, string deliveryId, DeliveryApi handlers, IDeliveryScheduler scheduler, CancellationToken ct) => handlers.ResendAsync(orgId, webhookId, deliveryId, scheduler, ct))
            .Produces<DeliveryResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(names + "ResendDelivery").WithSummary("Send the delivery again under the same id (receivers dedupe on webhook-id); its retry schedule starts over.");

        webhook.MapPost("/test", (string orgId, string webhookId, DeliveryApi handlers, IDeliveryScheduler scheduler, CancellationToken ct) => handlers.TestAsync(orgId, webhookId, scheduler, ct))
            .Produces<DeliveryResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(names + "TestWebhook").WithSummary("Send a webhook.test ping to this webhook.");

        webhook.MapPost("/recover", (string orgId, string webhookId, HttpRequest request, DeliveryApi handlers, IDeliveryScheduler scheduler, CancellationToken ct) => handlers.RecoverAsync(orgId, webhookId, request, scheduler, ct))
            .Produces<RecoverResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(names + "RecoverDeliveries").WithSummary("Resend every failed or exhausted delivery created since the 'since' query time.");

        return organization;
    }

    /// <summary>Event ingestion for producers: operators only, never through the portal.</summary>
    public static RouteGroupBuilder MapEventRoutes(this RouteGroupBuilder organization)
    {
        organization.MapPost("/events", (string orgId, HttpRequest request, DeliveryApi handlers, CancellationToken ct) => handlers.PublishEventAsync(orgId, request, ct))
            .WithTags("Events").Accepts<object>("application/json", ManagementEndpoints.AnyContentType).Produces<EventAcceptedResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("PublishEvent").WithSummary("Publish an event (the envelope of schemas/webhook-event.schema.json) for producers that cannot reach the queue.");

        return organization;
    }
}
