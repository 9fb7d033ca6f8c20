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
    // Read-modify-write attempts when a change races another writer; the last conflict answers 503 (retry later).
    private const int MaxConcurrencyRetries = 16;


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
    public Task<Webhook?> UpdateAsync(string organizationId, string webhookId, UpdateWebhookRequest request, string? ifMatch, CancellationToken cancellationToken) =>
        ChangeAsync(organizationId, webhookId, ifMatch, loaded: null, async current =>
        {
            var changes = validator.ValidateUpdate(request, current);
            var references = current.Secrets;
            if (changes.Url is not null && current.Type != WebhookType.Generic)
            {
                references = references with { UrlVersion = await secrets.StoreUrlAsync(organizationId, webhookId, changes.Url.OriginalString, cancellationToken) };
            }
            var enabling = changes.Enabled == true && !current.Enabled;
            return current with
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
        }, cancellationToken);

    /// <summary>
    /// Turns the webhook off with a conditional write (so If-Match is decided before anything is
    /// destroyed), then deletes its history, its secrets and last its row, so a retried delete
    /// finishes the job.
    /// </summary>
    public async Task<bool> DeleteAsync(string organizationId, string webhookId, string? ifMatch, CancellationToken cancellationToken)
    {
        var marked = await ChangeAsync(organizationId, webhookId, ifMatch, loaded: null,
            current => Task.FromResult(current with { Enabled = false, DisabledReason = "Being deleted.", DisabledAt = clock.GetUtcNow() }), cancellationToken);
        if (marked is null)
        {
            return false;
        }
        await deliveries.DeleteWebhookHistoryAsync(organizationId, webhookId, cancellationToken);
        await secrets.DeleteAllAsync(organizationId, webhookId, cancellationToken);
        await store.DeleteAsync(organizationId, webhookId, etag: null, cancellationToken);
        // A fan-out that listed the webhook before it was turned off may have written rows since the first sweep.
        await deliveries.DeleteWebhookHistoryAsync(organizationId, webhookId, cancellationToken);
        LogDeleted(organizationId, webhookId);
        return true;
    }

    /// <summary>
    /// Makes a new signing secret current. The previous one keeps signing for the rotation overlap
    /// (with up to <see cref="SecretsOptions.MaxPreviousSecrets"/> older ones), or with
    /// <paramref name="revokePrevious"/> no predecessor signs any more. Secrets that stop signing, and
    /// the new one if the call fails after storing it, are discarded from the secret store.
    /// </summary>
    public async Task<WebhookWithSecret?> RegenerateSecretAsync(string organizationId, string webhookId, string? ifMatch, bool revokePrevious, CancellationToken cancellationToken)
    {
        // Checked before a secret is stored, so the common refusals (404, 412, a chat webhook) store nothing.
        var current = await LoadAsync(organizationId, webhookId, ifMatch, cancellationToken);
        if (current is null)
        {
            return null;
        }
        RequireSigningSecret(current);
        var (secret, version) = await secrets.NewSigningSecretAsync(organizationId, webhookId, cancellationToken);
        IReadOnlyList<string> dropped = [];
        Webhook? updated;
        try
        {
            updated = await ChangeAsync(organizationId, webhookId, ifMatch, current, webhook =>
            {
                var rotation = secrets.Rotate(webhook.Secrets, version, revokePrevious);
                dropped = rotation.Dropped;
                return Task.FromResult(webhook with { Secrets = rotation.References, UpdatedAt = clock.GetUtcNow() });
            }, cancellationToken);
        }
        catch (Exception e) when (e is ConcurrencyConflictException or BusyException or ValidationException)
        {
            // A real If-Match mismatch found on reload, or too many conflicts: nothing was written, and the caller never saw this secret.
            await secrets.DiscardSigningVersionsAsync(organizationId, webhookId, [version]);
            throw;
        }
        catch
        {
            await DiscardUnlessSavedAsync(organizationId, webhookId, version);
            throw;
        }
        if (updated is null)
        {
            await secrets.DiscardSigningVersionsAsync(organizationId, webhookId, [version]);
            return null;
        }
        await secrets.DiscardSigningVersionsAsync(organizationId, webhookId, dropped);
        LogSecretRegenerated(organizationId, webhookId, revokePrevious);
        return new WebhookWithSecret(updated, secret);
    }

    /// <summary>Ends the overlap of every previous signing secret at once (a leaked secret): only the current one signs.</summary>
    public async Task<Webhook?> RevokePreviousSecretsAsync(string organizationId, string webhookId, string? ifMatch, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> dropped = [];
        var updated = await ChangeAsync(organizationId, webhookId, ifMatch, loaded: null, webhook =>
        {
            RequireSigningSecret(webhook);
            if (webhook.Secrets.RetiredSigningVersions.Count == 0)
            {
                return Task.FromResult(webhook);
            }
            var revocation = WebhookSecrets.RevokePrevious(webhook.Secrets);
            dropped = revocation.Dropped;
            return Task.FromResult(webhook with { Secrets = revocation.References, UpdatedAt = clock.GetUtcNow() });
        }, cancellationToken);
        if (updated is null)
        {
            return null;
        }
        await secrets.DiscardSigningVersionsAsync(organizationId, webhookId, dropped);
        LogPreviousSecretsRevoked(organizationId, webhookId, dropped.Count);
        return updated;
    }

    /// <summary>
    /// Read-modify-write of one webhook. The change is applied to the latest row and written only
    /// if the row is still that one; on a conflict (another change, or an activity write-back) the
    /// row is loaded again, which also checks If-Match against the latest configuration (a real
    /// mismatch is a <see cref="ConcurrencyConflictException"/>, 412), and the change re-applied
    /// after a jittered backoff. Writers without If-Match are thus serialised, never refused for a
    /// precondition they did not send; if conflicts outlast every attempt the caller is told to
    /// retry (<see cref="BusyException"/>, 503). A change that returns the row unchanged writes nothing.
    /// </summary>
    private async Task<Webhook?> ChangeAsync(string organizationId, string webhookId, string? ifMatch, Webhook? loaded, Func<Webhook, Task<Webhook>> change, CancellationToken cancellationToken)
    {
        var current = loaded;
        for (var attempt = 1; ; attempt++)
        {
            current ??= await LoadAsync(organizationId, webhookId, ifMatch, cancellationToken);
            if (current is null)
            {
                return null;
            }
            var updated = await change(current);
            if (ReferenceEquals(updated, current))
            {
                return current;
            }
            try
            {
                return await store.ReplaceAsync(updated, cancellationToken);
            }
            catch (ConcurrencyConflictException e)
            {
                if (attempt >= MaxConcurrencyRetries)
                {
                    throw new BusyException($"Webhook {webhookId} is being changed by other requests; retry in a moment.", ConflictBackoff.RetryAfter, e);
                }
                LogRetryingConflict(organizationId, webhookId, attempt);
                await ConflictBackoff.DelayAsync(attempt, cancellationToken);
                current = null;
            }
        }
    }

    /// <summary>
    /// After a failure of another kind (storage, a lost answer, cancellation) the write may still
    /// have been saved: a version the row now names must stay, or deliveries would lose their
    /// current signature. If the row cannot be read, the version is left (unused) rather than risk that.
    /// </summary>
    private async Task DiscardUnlessSavedAsync(string organizationId, string webhookId, string version)
    {
        Webhook? saved;
        try
        {
            saved = await store.GetAsync(organizationId, webhookId, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogSecretLeftBehind(e, organizationId, webhookId);
            return;
        }
        if (saved?.Secrets.SigningVersion == version || saved?.Secrets.RetiredSigningVersions.Any(r => r.Version == version) == true)
        {
            return;
        }
        await secrets.DiscardSigningVersionsAsync(organizationId, webhookId, [version]);
    }

    private static void RequireSigningSecret(Webhook webhook)
    {
        if (webhook.Type != WebhookType.Generic)
        {
            throw ValidationException.For("type", $"{WireNames.Of(webhook.Type)} webhooks are not signed: their URL is their credential. Change the URL to rotate it.");
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

    [LoggerMessage(1003, LogLevel.Information, "Regenerated the signing secret of webhook {WebhookId} of organization {OrganizationId} (previous revoked: {RevokedPrevious})")]
    private partial void LogSecretRegenerated(string organizationId, string webhookId, bool revokedPrevious);

    [LoggerMessage(1004, LogLevel.Debug, "Webhook {WebhookId} of organization {OrganizationId} changed under an update; retrying (attempt {Attempt})")]
    private partial void LogRetryingConflict(string organizationId, string webhookId, int attempt);

    [LoggerMessage(1006, LogLevel.Warning, "A regeneration of webhook {WebhookId} of organization {OrganizationId} failed and its row could not be read to tell whether the new secret was saved; the secret is left in the store")]
    private partial void LogSecretLeftBehind(Exception exception, string organizationId, string webhookId);

    [LoggerMessage(1005, LogLevel.Information, "Revoked {Count} previous signing secrets of webhook {WebhookId} of organization {OrganizationId}")]
    private partial void LogPreviousSecretsRevoked(string organizationId, string webhookId, int count);
}

/// <summary>A webhook and, right after creation or regeneration only, its signing secret.</summary>
public sealed record WebhookWithSecret(Webhook Webhook, string? Secret);
