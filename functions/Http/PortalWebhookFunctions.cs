using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Webhooks.Api;

namespace Webhooks.Functions.Http;

/// <summary>
/// The portal's twins of the webhook routes. Anonymous on purpose: a customer's browser has a portal
/// session token, never a function key; the library's <see cref="PortalGate"/> verifies the token and its
/// organization and permission, then the same <see cref="WebhookApi"/> handler as the operator route runs.
/// </summary>
public sealed class PortalWebhookFunctions(WebhookApi api, PortalGate gate)
{
    private const string Webhooks = "portal/orgs/{orgId}/webhooks";
    private const string Webhook = Webhooks + "/{webhookId}";

    [Function(nameof(GetPortalSession))]
    public Task<IResult> GetPortalSession([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal/session")] HttpRequest request) =>
        gate.RunAsync(request, PortalSessionApi.Describe);

    [Function(nameof(PortalListEventTypes))]
    public Task<IResult> PortalListEventTypes([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal/event-types")] HttpRequest request) =>
        gate.RunAsync(request, _ => api.EventTypes());

    [Function(nameof(PortalGetEventSchema))]
    public Task<IResult> PortalGetEventSchema([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal/event-types/schema")] HttpRequest request) =>
        gate.RunAsync(request, _ => WebhookApi.EventSchema());

    [Function(nameof(PortalCreateWebhook))]
    public Task<IResult> PortalCreateWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Webhooks)] HttpRequest request, string orgId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, null, () => api.CreateAsync(orgId, request, cancellationToken));

    [Function(nameof(PortalListWebhooks))]
    public Task<IResult> PortalListWebhooks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Webhooks)] HttpRequest request, string orgId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, null, () => api.ListAsync(orgId, request, cancellationToken));

    [Function(nameof(PortalGetWebhook))]
    public Task<IResult> PortalGetWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Webhook)] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.GetAsync(orgId, webhookId, cancellationToken));

    [Function(nameof(PortalUpdateWebhook))]
    public Task<IResult> PortalUpdateWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = Webhook)] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.UpdateAsync(orgId, webhookId, request, cancellationToken));

    [Function(nameof(PortalDeleteWebhook))]
    public Task<IResult> PortalDeleteWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Webhook)] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.DeleteAsync(orgId, webhookId, request, cancellationToken));

    [Function(nameof(PortalRegenerateWebhookSecret))]
    public Task<IResult> PortalRegenerateWebhookSecret([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Webhook + "/secret/regenerate")] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.RegenerateSecretAsync(orgId, webhookId, request, cancellationToken));

    [Function(nameof(PortalRevokePreviousWebhookSecrets))]
    public Task<IResult> PortalRevokePreviousWebhookSecrets([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Webhook + "/secret/revoke-previous")] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        gate.RunAsync(request, orgId, webhookId, () => api.RevokePreviousSecretsAsync(orgId, webhookId, request, cancellationToken));
}
