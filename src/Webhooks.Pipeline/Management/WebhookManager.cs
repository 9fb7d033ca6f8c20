using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Model;
using Webhooks.Protection;
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
    EndpointStateStore endpoints,
    WebhookSecrets secrets,
    WebhookRequestValidator validator,
    TimeProvider clock,
    IOptions<QuotaOptions> quotas,
    ILogger<WebhookManager> logger)
{
    // Read-modify-write attempts (the first write included) when a change races another writer; the last conflict answers 503 (retry later).
    private const int MaxConcurrencyAttempts = 16;


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
            RateLimit = draft.RateLimit,
            TraceContext = draft.TraceContext,
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

    /// <summary>The organizations that have (or had) webhooks, in id order, with their counts.</summary>
    public Task<Page<OrganizationSummary>> ListOrganizationsAsync(int pageSize, string? continuation, CancellationToken cancellationToken) =>
        store.ListOrganizationsAsync(pageSize, continuation, cancellationToken);

    /// <summary>
    /// Applies a change. With <paramref name="ifMatch"/> the change applies only to that version of
    /// the configuration (else <see cref="ConcurrencyConflictException"/>); a row that changed only
    /// by activity write-back, or any change when there is no If-Match, is re-read and the change
    /// re-applied on the latest row, so concurrent changes never overwrite each other silently.
    /// </summary>
    public async Task<Webhook?> UpdateAsync(string organizationId, string webhookId, UpdateWebhookRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        // A chat URL is a secret: stored once, before the retry loop, so conflicts do not pile up versions of it.
        var loaded = await LoadAsync(organizationId, webhookId, ifMatch, cancellationToken);
        if (loaded is null)
        {
            return null;
        }
        string? urlVersion = null;
        if (request.Url is not null && loaded.Type != WebhookType.Generic && validator.ValidateUpdate(request, loaded).Url is { } newUrl)
        {
            urlVersion = await secrets.StoreUrlAsync(organizationId, webhookId, newUrl.OriginalString, cancellationToken);
        }
        string? replacedUrlVersion = null;
        Webhook? updated;
        try
        {
            updated = await ChangeAsync(organizationId, webhookId, ifMatch, loaded, current =>
            {
                var changes = validator.ValidateUpdate(request, current);
                var references = current.Secrets;
                if (urlVersion is not null && references.UrlVersion != urlVersion)
                {
                    // Not when a retry after a lost reply finds the new URL already saved: the predecessor is the one the first attempt saw.
                    replacedUrlVersion = references.UrlVersion;
                    references = references with { UrlVersion = urlVersion };
                }
                return Task.FromResult(Apply(changes, current, references));
            }, cancellationToken);
        }
        catch (Exception e) when (urlVersion is not null)
        {
            // As for a regenerated secret: a conflict on reload after a lost reply may hide a saved change.
            var saved = await DiscardUnlessSavedAsync(organizationId, webhookId, urlVersion, SecretKind.Url);
            if (e is not (ConcurrencyConflictException or BusyException) || saved?.Secrets.UrlVersion != urlVersion)
            {
                throw;
            }
            updated = saved;
        }
        if (urlVersion is not null)
        {
            await secrets.DiscardUrlVersionsAsync(organizationId, webhookId, updated is null ? [urlVersion] : [.. Named(replacedUrlVersion)]);
        }
        return updated;
    }

    private Webhook Apply(WebhookChanges changes, Webhook current, SecretReferences references)
    {
        var enabling = changes.Enabled == true && !current.Enabled;
        return current with
        {
            Name = changes.Name ?? current.Name,
            Url = changes.Url is not null && current.Type == WebhookType.Generic ? changes.Url.OriginalString : current.Url,
            DisplayUrl = changes.Url is not null ? DisplayUrl(current.Type, changes.Url) : current.DisplayUrl,
            TeamsFlavor = changes.TeamsFlavor,
            Events = changes.Events ?? current.Events,
            Projects = changes.Projects ?? current.Projects,
            RateLimit = changes.RateLimit is { } limit ? limit == 0 ? null : limit : current.RateLimit,
            TraceContext = changes.TraceContext ?? current.TraceContext,
            Enabled = changes.Enabled ?? current.Enabled,
            // Turning a webhook back on clears the record of why it was turned off.
            DisabledReason = enabling ? null : current.DisabledReason,
            DisabledAt = enabling ? null : current.DisabledAt,
            FailingSince = enabling ? null : current.FailingSince,
            UpdatedAt = clock.GetUtcNow(),
            Secrets = references,
        };
    }

    private static IEnumerable<string> Named(string? version) => version is null ? [] : [version];

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
        await endpoints.DeleteAsync(organizationId, webhookId, cancellationToken);
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
                if (webhook.Secrets.SigningVersion == version)
                {
                    // A write whose reply was lost is retried and conflicts with itself: the row already has this secret.
                    return Task.FromResult(webhook);
                }
                var rotation = secrets.Rotate(webhook.Secrets, version, revokePrevious);
                dropped = rotation.Dropped;
                return Task.FromResult(webhook with { Secrets = rotation.References, UpdatedAt = clock.GetUtcNow() });
            }, cancellationToken);
        }
        catch (Exception e) when (e is ConcurrencyConflictException or BusyException)
        {
            // With If-Match, a write saved but answered by a lost reply comes back as a conflict on reload: the row
            // names the new secret, so the call succeeded. Otherwise nothing of this call was written.
            var saved = await DiscardUnlessSavedAsync(organizationId, webhookId, version, SecretKind.Signing);
            if (saved?.Secrets.SigningVersion != version)
            {
                throw;
            }
            updated = saved;
        }
        catch
        {
            await DiscardUnlessSavedAsync(organizationId, webhookId, version, SecretKind.Signing);
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
                if (attempt >= MaxConcurrencyAttempts)
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
    /// After a failed change the write may still have been saved (a lost reply retried into a
    /// conflict, a storage error, cancellation): a version the row now names must stay, or deliveries
    /// would lose their signature or URL. If the row cannot be read, the version is left (unused)
    /// rather than risk that. Returns the row read, if any.
    /// </summary>
    private async Task<Webhook?> DiscardUnlessSavedAsync(string organizationId, string webhookId, string version, SecretKind kind)
    {
        Webhook? saved;
        try
        {
            saved = await store.GetAsync(organizationId, webhookId, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogSecretLeftBehind(e, organizationId, webhookId);
            return null;
        }
        var named = kind == SecretKind.Url
            ? saved?.Secrets.UrlVersion == version
            : saved?.Secrets.SigningVersion == version || saved?.Secrets.RetiredSigningVersions.Any(r => r.Version == version) == true;
        if (!named)
        {
            await (kind == SecretKind.Url
                ? secrets.DiscardUrlVersionsAsync(organizationId, webhookId, [version])
                : secrets.DiscardSigningVersionsAsync(organizationId, webhookId, [version]));
        }
        return saved;
    }

    private enum SecretKind
    {
        Signing,
        Url,
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

    [LoggerMessage(1006, LogLevel.Warning, "A change of webhook {WebhookId} of organization {OrganizationId} failed and its row could not be read to tell whether the new secret was saved; the secret is left in the store")]
    private partial void LogSecretLeftBehind(Exception exception, string organizationId, string webhookId);

    [LoggerMessage(1005, LogLevel.Information, "Revoked {Count} previous signing secrets of webhook {WebhookId} of organization {OrganizationId}")]
    private partial void LogPreviousSecretsRevoked(string organizationId, string webhookId, int count);
}

/// <summary>A webhook and, right after creation or regeneration only, its signing secret.</summary>
public sealed record WebhookWithSecret(Webhook Webhook, string? Secret);
