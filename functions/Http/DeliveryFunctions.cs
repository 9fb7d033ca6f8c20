using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Webhooks.Api;
using Webhooks.Delivery;
using Webhooks.Functions.Deliveries;

namespace Webhooks.Functions.Http;

/// <summary>
/// Delivery history, resend, test, recover and event ingestion; each function is one call into the
/// library's <see cref="DeliveryApi"/>. Those that start deliveries hand it this invocation's Durable client.
/// </summary>
public sealed class DeliveryFunctions(DeliveryApi api, IOptions<RetryPolicy> policy)
{
    private const string Webhook = "orgs/{orgId}/webhooks/{webhookId}";

    [Function(nameof(ListDeliveries))]
    public Task<IResult> ListDeliveries([HttpTrigger(AuthorizationLevel.Function, "get", Route = Webhook + "/deliveries")] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        api.ListAsync(orgId, webhookId, request, cancellationToken);

    [Function(nameof(GetWebhookStats))]
    public Task<IResult> GetWebhookStats([HttpTrigger(AuthorizationLevel.Function, "get", Route = Webhook + "/stats")] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        api.StatsAsync(orgId, webhookId, cancellationToken);

    [Function(nameof(GetDelivery))]
    public Task<IResult> GetDelivery([HttpTrigger(AuthorizationLevel.Function, "get", Route = Webhook + "/deliveries/{deliveryId}")] HttpRequest request, string orgId, string webhookId, string deliveryId, CancellationToken cancellationToken) =>
        api.GetAsync(orgId, webhookId, deliveryId, cancellationToken);

    [Function(nameof(ResendDelivery))]
    public Task<IResult> ResendDelivery([HttpTrigger(AuthorizationLevel.Function, "post", Route = Webhook + "/deliveries/{deliveryId}/resend")] HttpRequest request, string orgId, string webhookId, string deliveryId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        api.ResendAsync(orgId, webhookId, deliveryId, DurableScheduler.For(client, policy), cancellationToken);

    [Function(nameof(TestWebhook))]
    public Task<IResult> TestWebhook([HttpTrigger(AuthorizationLevel.Function, "post", Route = Webhook + "/test")] HttpRequest request, string orgId, string webhookId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        api.TestAsync(orgId, webhookId, DurableScheduler.For(client, policy), cancellationToken);

    [Function(nameof(RecoverDeliveries))]
    public Task<IResult> RecoverDeliveries([HttpTrigger(AuthorizationLevel.Function, "post", Route = Webhook + "/recover")] HttpRequest request, string orgId, string webhookId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        api.RecoverAsync(orgId, webhookId, request, DurableScheduler.For(client, policy), cancellationToken);

    [Function(nameof(PublishEvent))]
    public Task<IResult> PublishEvent([HttpTrigger(AuthorizationLevel.Function, "post", Route = "orgs/{orgId}/events")] HttpRequest request, string orgId, CancellationToken cancellationToken) =>
        api.PublishEventAsync(orgId, request, cancellationToken);
}
