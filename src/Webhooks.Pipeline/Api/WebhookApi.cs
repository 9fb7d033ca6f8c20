using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Webhooks.Management;
using Webhooks.Model;
using Webhooks.Protection;
using Webhooks.Storage;

namespace Webhooks.Api;

/// <summary>
/// The webhook management endpoints as transport-neutral handlers: both the standalone host's
/// minimal APIs and the Functions app's HTTP triggers call these, so they answer identically.
/// </summary>
public sealed class WebhookApi(WebhookManager manager, JsonRequestReader reader, EventTypeCatalog catalog, EndpointStateStore endpoints, IOptions<ProtectionPolicy> protection, TimeProvider clock, IOptions<ApiOptions> options)
{
    public Task<IResult> CreateAsync(string orgId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var body = await reader.ReadAsync<CreateWebhookRequest>(request, cancellationToken);
            var created = await manager.CreateAsync(orgId, body, cancellationToken);
            var location = $"/api/orgs/{orgId}/webhooks/{created.Webhook.Id}";
            var shown = WithProtection(created.Webhook, EndpointState.Fresh(orgId, created.Webhook.Id)) with { Secret = created.Secret };
            return ApiResults.Json(shown, StatusCodes.Status201Created, created.Webhook.Version, location);
        });

    public Task<IResult> ListAsync(string orgId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var scope = $"webhooks\n{orgId}";
            var page = await manager.ListAsync(orgId, ApiQuery.PageSize(request, options.Value), ApiQuery.Continuation(request, scope), cancellationToken);
            var states = await endpoints.ListAsync(orgId, cancellationToken);
            return ApiResults.Json(new WebhookListResponse(
                page.Items.Select(w => WithProtection(w, states.GetValueOrDefault(w.Id) ?? EndpointState.Fresh(orgId, w.Id))).ToArray(),
                PageTokens.Encode(scope, page.NextPageToken)));
        });

    public Task<IResult> GetAsync(string orgId, string webhookId, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var webhook = await manager.GetAsync(orgId, webhookId, cancellationToken);
            return webhook is null
                ? WebhookNotFound(webhookId)
                : ApiResults.Json(await ShownAsync(webhook, cancellationToken), etag: webhook.Version);
        });

    public Task<IResult> UpdateAsync(string orgId, string webhookId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var body = await reader.ReadAsync<UpdateWebhookRequest>(request, cancellationToken);
            var updated = await manager.UpdateAsync(orgId, webhookId, body, IfMatch(request), cancellationToken);
            return updated is null ? WebhookNotFound(webhookId) : ApiResults.Json(await ShownAsync(updated, cancellationToken), etag: updated.Version);
        });

    public Task<IResult> DeleteAsync(string orgId, string webhookId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            return await manager.DeleteAsync(orgId, webhookId, IfMatch(request), cancellationToken)
                ? ApiResults.NoContent()
                : WebhookNotFound(webhookId);
        });

    public Task<IResult> RegenerateSecretAsync(string orgId, string webhookId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var revokePrevious = ApiQuery.Flag(request, "revokePrevious");
            var result = await manager.RegenerateSecretAsync(orgId, webhookId, IfMatch(request), revokePrevious, cancellationToken);
            if (result is null)
            {
                return WebhookNotFound(webhookId);
            }
            var previousValidUntil = result.Webhook.Secrets.RetiredSigningVersions.Select(r => (DateTimeOffset?)r.ExpiresAt).Max();
            return ApiResults.Json(new RegeneratedSecretResponse(webhookId, result.Secret!, previousValidUntil), etag: result.Webhook.Version);
        });

    public Task<IResult> RevokePreviousSecretsAsync(string orgId, string webhookId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var updated = await manager.RevokePreviousSecretsAsync(orgId, webhookId, IfMatch(request), cancellationToken);
            return updated is null ? WebhookNotFound(webhookId) : ApiResults.Json(await ShownAsync(updated, cancellationToken), etag: updated.Version);
        });

    /// <summary>The catalogue, each type with a sample envelope.</summary>
    public IResult EventTypes() => ApiResults.Json(new EventTypeListResponse([.. catalog.Types.Select(EventTypeResponse.From)]));

    /// <summary>The JSON Schema of the event envelope (<c>schemas/webhook-event.schema.json</c>).</summary>
    public static IResult EventSchema() => Results.Bytes(Events.EventSchema.Json.ToArray(), Events.EventSchema.MediaType);

    /// <summary>The organizations that have (or had) webhooks, paged, with their webhook counts: for operators, who see every organization.</summary>
    public Task<IResult> ListOrganizationsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            const string scope = "orgs";
            var page = await manager.ListOrganizationsAsync(ApiQuery.PageSize(request, options.Value), ApiQuery.Continuation(request, scope), cancellationToken);
            return ApiResults.Json(new OrganizationListResponse([.. page.Items.Select(o => new OrganizationResponse(o.Id, o.WebhookCount))], PageTokens.Encode(scope, page.NextPageToken)));
        });

    private static string? IfMatch(HttpRequest request) =>
        request.Headers.IfMatch.Count > 0 ? request.Headers.IfMatch.ToString() : null;

    private static IResult WebhookNotFound(string webhookId) => ApiResults.NotFound($"Webhook {webhookId}");

    private async Task<WebhookResponse> ShownAsync(Webhook webhook, CancellationToken cancellationToken) =>
        WithProtection(webhook, await endpoints.GetAsync(webhook.OrganizationId, webhook.Id, cancellationToken));

    private WebhookResponse WithProtection(Webhook webhook, EndpointState state) =>
        WebhookResponse.From(webhook) with { Protection = EndpointProtectionResponse.From(state, protection.Value.LimitOf(webhook.RateLimit), clock.GetUtcNow()) };
}
