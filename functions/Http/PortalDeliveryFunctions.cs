using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Webhooks.Api;
using Webhooks.Delivery;
using Webhooks.Functions.Deliveries;

namespace Webhooks.Functions.Http;

/// <summary>The portal's twins of the delivery routes: anonymous, verified by the library's <see cref="PortalGate"/>, then the same <see cref="DeliveryApi"/> handler as the operator route.</summary>
public sealed class PortalDeliveryFunctions(DeliveryApi api, PortalGate gate, IOptions<RetryPolicy> policy)
{
    private const string Webhook = "portal/orgs/{orgId}/webhooks/{webhookId}";

    [Function(nameof(PortalListDeliveries))]
    public Task<IResult> PortalListDeliveries([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Webhook + "/deliveries")] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.ListAsync(orgId, webhookId, request, cancellationToken));

    [Function(nameof(PortalGetWebhookStats))]
    public Task<IResult> PortalGetWebhookStats([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Webhook + "/stats")] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.StatsAsync(orgId, webhookId, cancellationToken));

    [Function(nameof(PortalGetDelivery))]
    public Task<IResult> PortalGetDelivery([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Webhook + "/deliveries/{deliveryId}")] HttpRequest request, string orgId, string webhookId, string deliveryId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.GetAsync(orgId, webhookId, deliveryId, cancellationToken));

    [Function(nameof(PortalResendDelivery))]
    public Task<IResult> PortalResendDelivery([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Webhook + "/deliveries/{deliveryId}/resend")] HttpRequest request, string orgId, string webhookId, string deliveryId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.ResendAsync(orgId, webhookId, deliveryId, DurableScheduler.For(client, policy), cancellationToken));

    [Function(nameof(PortalTestWebhook))]
    public Task<IResult> PortalTestWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Webhook + "/test")] HttpRequest request, string orgId, string webhookId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.TestAsync(orgId, webhookId, DurableScheduler.For(client, policy), cancellationToken));

    [Function(nameof(PortalRecoverDeliveries))]
    public Task<IResult> PortalRecoverDeliveries([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Webhook + "/recover")] HttpRequest request, string orgId, string webhookId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.RecoverAsync(orgId, webhookId, request, DurableScheduler.For(client, policy), cancellationToken));
}
