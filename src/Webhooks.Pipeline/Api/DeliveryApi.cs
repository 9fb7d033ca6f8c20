using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Events;
using Webhooks.Ingestion;
using Webhooks.Management;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Api;

/// <summary>
/// Delivery history, resend, test, recover and event ingestion as transport-neutral handlers,
/// which both hosts' routes call, so they answer identically.
/// </summary>
public sealed class DeliveryApi(DeliveryManager manager, EventIntake intake, EventRateLimiter eventRate, IOptions<ApiOptions> options)
{
    public Task<IResult> ListAsync(string orgId, string webhookId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var query = new DeliveryListQuery(orgId, webhookId, Status(request), EventType(request));
            // A token resumes the listing it came from: the same webhook with the same filters.
            var scope = $"deliveries\n{orgId}\n{webhookId}\n{query.Status}\n{query.EventType}";
            var page = await manager.ListAsync(query, ApiQuery.PageSize(request, options.Value), ApiQuery.Continuation(request, scope), cancellationToken);
            return page is null
                ? WebhookNotFound(webhookId)
                : ApiResults.Json(new DeliveryListResponse([.. page.Items.Select(DeliveryResponse.From)], PageTokens.Encode(scope, page.NextPageToken)));
        });

    public Task<IResult> GetAsync(string orgId, string webhookId, string deliveryId, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var found = await manager.GetAsync(new DeliveryKey(orgId, webhookId, deliveryId), cancellationToken);
            return found is null ? DeliveryNotFound(deliveryId) : ApiResults.Json(DeliveryResponse.From(found));
        });

    /// <summary>The webhook's last 24 hours of deliveries by hour and status, with response-time percentiles.</summary>
    public Task<IResult> StatsAsync(string orgId, string webhookId, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var stats = await manager.StatsAsync(orgId, webhookId, cancellationToken);
            return stats is null ? WebhookNotFound(webhookId) : ApiResults.Json(stats);
        });

    public Task<IResult> ResendAsync(string orgId, string webhookId, string deliveryId, IDeliveryScheduler scheduler, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var resent = await manager.ResendAsync(new DeliveryKey(orgId, webhookId, deliveryId), scheduler, cancellationToken);
            return resent is null ? DeliveryNotFound(deliveryId) : Accepted(orgId, resent);
        });

    public Task<IResult> TestAsync(string orgId, string webhookId, IDeliveryScheduler scheduler, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var sent = await manager.TestAsync(orgId, webhookId, scheduler, cancellationToken);
            return sent is null ? WebhookNotFound(webhookId) : Accepted(orgId, sent);
        });

    public Task<IResult> RecoverAsync(string orgId, string webhookId, HttpRequest request, IDeliveryScheduler scheduler, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var since = ApiQuery.Time(request, "since") ?? throw ValidationException.For("since", "is required: recover deliveries created at or after this ISO 8601 time.");
            var result = await manager.RecoverAsync(orgId, webhookId, since, scheduler, cancellationToken);
            return result is null
                ? WebhookNotFound(webhookId)
                : ApiResults.Json(new RecoverResponse(result.Resent, result.Complete), StatusCodes.Status202Accepted);
        });

    public Task<IResult> PublishEventAsync(string orgId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            eventRate.Acquire(orgId);
            // The queue's limit, so an event accepted here is never one the queue path would refuse.
            var body = await JsonRequestReader.ReadBytesAsync(request, EventEnvelopeReader.MaxEventBytes, cancellationToken);
            var e = await intake.AcceptAsync(orgId, body, cancellationToken);
            return ApiResults.Json(new EventAcceptedResponse(e.Id, e.Type, e.Organization.Id), StatusCodes.Status202Accepted);
        });

    private static IResult Accepted(string orgId, DeliveryRecord delivery) =>
        ApiResults.Json(DeliveryResponse.From(delivery), StatusCodes.Status202Accepted,
            location: $"/api/orgs/{orgId}/webhooks/{delivery.WebhookId}/deliveries/{delivery.DeliveryId}");

    private static DeliveryStatus? Status(HttpRequest request)
    {
        var value = ApiQuery.Text(request, "status");
        if (value.Length == 0)
        {
            return null;
        }
        foreach (var status in Enum.GetValues<DeliveryStatus>())
        {
            if (DeliveryProgress.CodeOf(status) == value)
            {
                return status;
            }
        }
        throw ValidationException.For("status", $"must be one of: {string.Join(", ", Enum.GetValues<DeliveryStatus>().Select(DeliveryProgress.CodeOf))}.");
    }

    private static string? EventType(HttpRequest request) =>
        ApiQuery.Text(request, "eventType") is { Length: > 0 } value ? value : null;

    private static IResult WebhookNotFound(string webhookId) => ApiResults.NotFound($"Webhook {webhookId}");

    private static IResult DeliveryNotFound(string deliveryId) => ApiResults.NotFound($"Delivery {deliveryId}");
}
