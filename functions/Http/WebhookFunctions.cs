using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Webhooks.Api;

namespace Webhooks.Functions.Http;

/// <summary>The webhook management routes; each function is one call into the library's <see cref="WebhookApi"/>, as the standalone host's routes are.</summary>
public sealed class WebhookFunctions(WebhookApi api)
{
    private const string Webhooks = "orgs/{orgId}/webhooks";
    private const string Webhook = Webhooks + "/{webhookId}";

    [Function(nameof(ListEventTypes))]
    public IResult ListEventTypes([HttpTrigger(AuthorizationLevel.Function, "get", Route = "event-types")] HttpRequest request) =>
        api.EventTypes();

    [Function(nameof(GetEventSchema))]
    public IResult GetEventSchema([HttpTrigger(AuthorizationLevel.Function, "get", Route = "event-types/schema")] HttpRequest request) =>
        WebhookApi.EventSchema();

    [Function(nameof(ListOrganizations))]
    public Task<IResult> ListOrganizations([HttpTrigger(AuthorizationLevel.Function, "get", Route = "orgs")] HttpRequest request, CancellationToken cancellationToken) =>
        api.ListOrganizationsAsync(request, cancellationToken);

    [Function(nameof(CreateWebhook))]
    public Task<IResult> CreateWebhook([HttpTrigger(AuthorizationLevel.Function, "post", Route = Webhooks)] HttpRequest request, string orgId, CancellationToken cancellationToken) =>
        api.CreateAsync(orgId, request, cancellationToken);

    [Function(nameof(ListWebhooks))]
    public Task<IResult> ListWebhooks([HttpTrigger(AuthorizationLevel.Function, "get", Route = Webhooks)] HttpRequest request, string orgId, CancellationToken cancellationToken) =>
        api.ListAsync(orgId, request, cancellationToken);

    [Function(nameof(GetWebhook))]
    public Task<IResult> GetWebhook([HttpTrigger(AuthorizationLevel.Function, "get", Route = Webhook)] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        api.GetAsync(orgId, webhookId, cancellationToken);

    [Function(nameof(UpdateWebhook))]
    public Task<IResult> UpdateWebhook([HttpTrigger(AuthorizationLevel.Function, "patch", Route = Webhook)] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        api.UpdateAsync(orgId, webhookId, request, cancellationToken);

    [Function(nameof(DeleteWebhook))]
    public Task<IResult> DeleteWebhook([HttpTrigger(AuthorizationLevel.Function, "delete", Route = Webhook)] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        api.DeleteAsync(orgId, webhookId, request, cancellationToken);

    [Function(nameof(RegenerateWebhookSecret))]
    public Task<IResult> RegenerateWebhookSecret([HttpTrigger(AuthorizationLevel.Function, "post", Route = Webhook + "/secret/regenerate")] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        api.RegenerateSecretAsync(orgId, webhookId, request, cancellationToken);

    [Function(nameof(RevokePreviousWebhookSecrets))]
    public Task<IResult> RevokePreviousWebhookSecrets([HttpTrigger(AuthorizationLevel.Function, "post", Route = Webhook + "/secret/revoke-previous")] HttpRequest request, string orgId, string webhookId, CancellationToken cancellationToken) =>
        api.RevokePreviousSecretsAsync(orgId, webhookId, request, cancellationToken);
}
