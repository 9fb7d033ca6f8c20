using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Management.Http;

/// <summary>
/// The webhook management endpoints as transport-neutral handlers: both the standalone host's
/// minimal APIs and the Functions app's HTTP triggers call these, so they answer identically.
/// </summary>
public sealed class WebhookApi(WebhookManager manager, JsonRequestReader reader, EventTypeCatalog catalog, IOptions<ApiOptions> options)
{
    public Task<IResult> CreateAsync(string orgId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            CheckOrganization(orgId);
            var body = await reader.ReadAsync<CreateWebhookRequest>(request, cancellationToken);
            var created = await manager.CreateAsync(orgId, body, cancellationToken);
            var location = $"/api/orgs/{orgId}/webhooks/{created.Webhook.Id}";
            return ApiResults.Json(WebhookResponse.From(created.Webhook, created.Secret), StatusCodes.Status201Created, created.Webhook.ETag, location);
        });

    public Task<IResult> ListAsync(string orgId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            CheckOrganization(orgId);
            var pageSize = PageSize(request.Query["limit"]);
            if (!PageTokens.TryDecode(request.Query["pageToken"], out var continuation))
            {
                throw ValidationException.For("pageToken", "is not a token this API issued.");
            }
            var page = await manager.ListAsync(orgId, pageSize, continuation, cancellationToken);
            return ApiResults.Json(new WebhookListResponse(page.Items.Select(w => WebhookResponse.From(w)).ToArray(), PageTokens.Encode(page.NextPageToken)));
        });

    public Task<IResult> GetAsync(string orgId, string webhookId, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            CheckOrganization(orgId);
            var webhook = await manager.GetAsync(orgId, webhookId, cancellationToken);
            return webhook is null ? WebhookNotFound(webhookId) : ApiResults.Json(WebhookResponse.From(webhook), etag: webhook.ETag);
        });

    public Task<IResult> UpdateAsync(string orgId, string webhookId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            CheckOrganization(orgId);
            var body = await reader.ReadAsync<UpdateWebhookRequest>(request, cancellationToken);
            var updated = await manager.UpdateAsync(orgId, webhookId, body, IfMatch(request), cancellationToken);
            return updated is null ? WebhookNotFound(webhookId) : ApiResults.Json(WebhookResponse.From(updated), etag: updated.ETag);
        });

    public Task<IResult> DeleteAsync(string orgId, string webhookId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            CheckOrganization(orgId);
            return await manager.DeleteAsync(orgId, webhookId, IfMatch(request), cancellationToken)
                ? ApiResults.NoContent()
                : WebhookNotFound(webhookId);
        });

    public Task<IResult> RegenerateSecretAsync(string orgId, string webhookId, HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            CheckOrganization(orgId);
            var result = await manager.RegenerateSecretAsync(orgId, webhookId, IfMatch(request), cancellationToken);
            if (result is null)
            {
                return WebhookNotFound(webhookId);
            }
            var previousValidUntil = result.Webhook.Secrets.RetiredSigningVersions.Max(r => r.ExpiresAt);
            return ApiResults.Json(new RegeneratedSecretResponse(webhookId, result.Secret!, previousValidUntil), etag: result.Webhook.ETag);
        });

    public IResult EventTypes() => ApiResults.Json(new EventTypeListResponse(catalog.Types));

    private static void CheckOrganization(string orgId)
    {
        if (!ResourceIds.IsValidOrganizationId(orgId))
        {
            throw ValidationException.For("orgId", "must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit.");
        }
    }

    private int PageSize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return options.Value.DefaultPageSize;
        }
        var max = options.Value.MaxPageSize;
        return int.TryParse(value, out var size) && size >= 1 && size <= max
            ? size
            : throw ValidationException.For("limit", $"must be a whole number from 1 to {max}.");
    }

    private static string? IfMatch(HttpRequest request) =>
        request.Headers.IfMatch.Count > 0 ? request.Headers.IfMatch.ToString() : null;

    private static IResult WebhookNotFound(string webhookId) => ApiResults.NotFound($"Webhook {webhookId}");
}
