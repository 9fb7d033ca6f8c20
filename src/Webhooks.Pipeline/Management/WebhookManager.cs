using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Model;
using Webhooks.Secrets;
using Webhooks.Storage;

namespace Webhooks.Management;

/// <summary>
/// The webhook management use cases: create, read, change, delete, regenerate the signing secret.
/// Secret values go to the secret store and back to the caller once; rows hold only references.
/// </summary>
public sealed partial class WebhookManager(
    WebhookStore store,
    DeliveryStore deliveries,
    WebhookSecrets secrets,
    WebhookRequestValidator validator,
    TimeProvider clock,
    IOptions<QuotaOptions> quotas,
    ILogger<WebhookManager> logger)
{
    // Read-modify-write retries when a PATCH without If-Match races another writer.
    private const int MaxConcurrencyRetries = 10;

    public async Task<WebhookWithSecret> CreateAsync(string organizationId, CreateWebhookRequest request, CancellationToken cancellationToken)
    {
        var draft = validator.ValidateCreate(request);
        var limit = quotas.Value.MaxWebhooksPerOrganization;
        // Checked before any secret is made; the insert below checks again, atomically.
        if (await store.CountAsync(organizationId, cancellationToken) >= limit)
        {
            throw LimitReached(limit);
        }
        var id = ResourceIds.NewWebhookId();
        var now = clock.GetUtcNow();
        string? signingSecret = null;
        var references = SecretReferences.None;
        if (draft.Type == WebhookType.Generic)
        {
            (signingSecret, var version) = await secrets.NewSigningSecretAsync(organizationId, id, cancellationToken);
            references = references with { SigningVersion = version };
        }
        else
        {
            references = references with { UrlVersion = await secrets.StoreUrlAsync(organizationId, id, draft.Url.OriginalString, cancellationToken) };
        }
        var webhook = new Webhook
        {
            OrganizationId = organizationId,
            Id = id,
            Name = draft.Name,
            Type = draft.Type,
            TeamsFlavor = draft.TeamsFlavor,
            Url = draft.Type == WebhookType.Generic ? draft.Url.OriginalString : null,
            DisplayUrl = DisplayUrl(draft.Type, draft.Url),
            Events = draft.Events,
            Projects = draft.Projects,
            Enabled = draft.Enabled,
            CreatedAt = now,
            UpdatedAt = now,
            Secrets = references,
        };
        Webhook? inserted;
        try
        {
            inserted = await store.InsertAsync(webhook, limit, cancellationToken);
        }
        catch
        {
            await secrets.DeleteAllAsync(organizationId, id, CancellationToken.None);
            throw;
        }
        if (inserted is null)
        {
            // Another create took the last place since the check above.
            await secrets.DeleteAllAsync(organizationId, id, CancellationToken.None);
            throw LimitReached(limit);
        }
        webhook = inserted;
        LogCreated(organizationId, id, WireNames.Of(draft.Type));
        return new WebhookWithSecret(webhook, signingSecret);
    }

    public Task<Webhook?> GetAsync(string organizationId, string webhookId, CancellationToken cancellationToken) =>
        ResourceIds.IsWellFormedWebhookId(webhookId) ? store.GetAsync(organizationId, webhookId, cancellationToken) : Task.FromResult<Webhook?>(null);

    public Task<Page<Webhook>> ListAsync(string organizationId, int pageSize, string? continuation, CancellationToken cancellationToken) =>
        store.ListAsync(organizationId, pageSize, continuation, cancellationToken);

    /// <summary>
    /// Applies a change. With <paramref name="ifMatch"/> the change applies only to that version of
    /// the configuration (else <see cref="ConcurrencyConflictException"/>); a row that changed only
    /// by activity write-back, or any change when there is no If-Match, is re-read and the change
    /// re-applied on the latest row, so concurrent changes never overwrite each other silently.
    /// </summary>
    public async Task<Webhook?> UpdateAsync(string organizationId, string webhookId, UpdateWebhookRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await LoadAsync(organizationId, webhookId, ifMatch, cancellationToken);
            if (current is null)
            {
                return null;
            }
            var changes = validator.ValidateUpdate(request, current);
            var references = current.Secrets;
            if (changes.Url is not null && current.Type != WebhookType.Generic)
            {
                references = references with { UrlVersion = await secrets.StoreUrlAsync(organizationId, webhookId, changes.Url.OriginalString, cancellationToken) };
            }
            var enabling = changes.Enabled == true && !current.Enabled;
            var updated = current with
            {
                Name = changes.Name ?? current.Name,
                Url = changes.Url is not null && current.Type == WebhookType.Generic ? changes.Url.OriginalString : current.Url,
                DisplayUrl = changes.Url is not null ? DisplayUrl(current.Type, changes.Url) : current.DisplayUrl,
                TeamsFlavor = changes.TeamsFlavor,
                Events = changes.Events ?? current.Events,
                Projects = changes.Projects ?? current.Projects,
                Enabled = changes.Enabled ?? current.Enabled,
                // Turning a webhook back on clears the record of why it was turned off.
                DisabledReason = enabling ? null : current.DisabledReason,
                DisabledAt = enabling ? null : current.DisabledAt,
                FailingSince = enabling ? null : current.FailingSince,
                UpdatedAt = clock.GetUtcNow(),
                Secrets = references,
            };
            try
            {
                return await store.ReplaceAsync(updated, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConcurrencyRetries)
            {
                // The row changed under the write (another change, or an activity write-back): load it again, which
                // also checks If-Match against the latest configuration, and re-apply.
                LogRetryingConflict(organizationId, webhookId, attempt);
            }
        }
    }

    /// <summary>
    /// Turns the webhook off with a conditional write (so If-Match is decided before anything is
    /// destroyed), then deletes its history, its secrets and last its row, so a retried delete
    /// finishes the job.
    /// </summary>
    public async Task<bool> DeleteAsync(string organizationId, string webhookId, string? ifMatch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await LoadAsync(organizationId, webhookId, ifMatch, cancellationToken);
            if (current is null)
            {
                return false;
            }
            try
            {
                var marked = await store.ReplaceAsync(current with { Enabled = false, DisabledReason = "Being deleted.", DisabledAt = clock.GetUtcNow() }, cancellationToken);
                if (marked is null)
                {
                    return false;
                }
                break;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConcurrencyRetries)
            {
                // The row changed under the write (another change, or an activity write-back): load it again, which
                // also checks If-Match against the latest configuration, and re-apply.
                LogRetryingConflict(organizationId, webhookId, attempt);
            }
        }
        await deliveries.DeleteWebhookHistoryAsync(organizationId, webhookId, cancellationToken);
        await secrets.DeleteAllAsync(organizationId, webhookId, cancellationToken);
        await store.DeleteAsync(organizationId, webhookId, etag: null, cancellationToken);
        // A fan-out that listed the webhook before it was turned off may have written rows since the first sweep.
        await deliveries.DeleteWebhookHistoryAsync(organizationId, webhookId, cancellationToken);
        LogDeleted(organizationId, webhookId);
        return true;
    }

    /// <summary>Makes a new signing secret current; the previous one keeps signing for the rotation overlap.</summary>
    public async Task<WebhookWithSecret?> RegenerateSecretAsync(string organizationId, string webhookId, string? ifMatch, CancellationToken cancellationToken)
    {
        var current = await LoadAsync(organizationId, webhookId, ifMatch, cancellationToken);
        if (current is null)
        {
            return null;
        }
        if (current.Type != WebhookType.Generic)
        {
            throw ValidationException.For("type", $"{WireNames.Of(current.Type)} webhooks are not signed: their URL is their credential. Change the URL to rotate it.");
        }
        var (secret, version) = await secrets.NewSigningSecretAsync(organizationId, webhookId, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var updated = await store.ReplaceAsync(current with { Secrets = secrets.Rotate(current.Secrets, version), UpdatedAt = clock.GetUtcNow() }, cancellationToken);
                if (updated is null)
                {
                    return null;
                }
                LogSecretRegenerated(organizationId, webhookId);
                return new WebhookWithSecret(updated, secret);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConcurrencyRetries)
            {
                current = await LoadAsync(organizationId, webhookId, ifMatch, cancellationToken);
                if (current is null)
                {
                    return null;
                }
            }
        }
    }

    private async Task<Webhook?> LoadAsync(string organizationId, string webhookId, string? ifMatch, CancellationToken cancellationToken)
    {
        var current = await GetAsync(organizationId, webhookId, cancellationToken);
        if (current is not null && ifMatch is not null && ifMatch != "*" && ifMatch != current.Version)
        {
            throw new ConcurrencyConflictException($"Webhook {webhookId} has changed since the version given in If-Match.");
        }
        return current;
    }

    private static ConflictException LimitReached(int limit) =>
        new("Webhook limit reached", $"An organization may have at most {limit} webhooks. Delete one before creating another.");

    private static string DisplayUrl(WebhookType type, Uri url) =>
        type == WebhookType.Generic ? url.OriginalString : EndpointUrlRules.Mask(url);

    [LoggerMessage(1001, LogLevel.Information, "Created {WebhookType} webhook {WebhookId} for organization {OrganizationId}")]
    private partial void LogCreated(string organizationId, string webhookId, string webhookType);

    [LoggerMessage(1002, LogLevel.Information, "Deleted webhook {WebhookId} of organization {OrganizationId} with its secrets and history")]
    private partial void LogDeleted(string organizationId, string webhookId);

    [LoggerMessage(1003, LogLevel.Information, "Regenerated the signing secret of webhook {WebhookId} of organization {OrganizationId}")]
    private partial void LogSecretRegenerated(string organizationId, string webhookId);

    [LoggerMessage(1004, LogLevel.Debug, "Webhook {WebhookId} of organization {OrganizationId} changed under an update; retrying (attempt {Attempt})")]
    private partial void LogRetryingConflict(string organizationId, string webhookId, int attempt);
}

/// <summary>A webhook and, right after creation or regeneration only, its signing secret.</summary>
public sealed record WebhookWithSecret(Webhook Webhook, string? Secret);
