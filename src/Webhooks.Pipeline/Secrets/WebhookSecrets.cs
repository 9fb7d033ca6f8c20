using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Model;

namespace Webhooks.Secrets;

/// <summary>
/// The secrets that belong to one webhook: its signing secret (with the versions still valid during
/// a rotation overlap) and, for chat webhooks, the token-bearing URL.
/// </summary>
public sealed partial class WebhookSecrets(ISecretStore store, TimeProvider clock, IOptions<SecretsOptions> options, ILogger<WebhookSecrets> logger)
{
    /// <summary>Creates a signing secret (first or regenerated); the value must be shown once and dropped.</summary>
    public async Task<(string Secret, string Version)> NewSigningSecretAsync(string organizationId, string webhookId, CancellationToken cancellationToken)
    {
        var secret = SigningSecret.Generate();
        var version = await store.SetAsync(SecretNames.Signing(organizationId, webhookId), secret, cancellationToken);
        return (secret, version);
    }

    public Task<string> StoreUrlAsync(string organizationId, string webhookId, string url, CancellationToken cancellationToken) =>
        store.SetAsync(SecretNames.Url(organizationId, webhookId), url, cancellationToken);

    /// <summary>
    /// Makes <paramref name="newVersion"/> current and its predecessor a retired version with its
    /// overlap deadline. Only the newest <see cref="SecretsOptions.MaxPreviousSecrets"/> unexpired
    /// predecessors are kept (none with <paramref name="revokePrevious"/>); the others are returned
    /// as dropped, for the caller to discard once the change is saved.
    /// </summary>
    public SecretRotation Rotate(SecretReferences references, string newVersion, bool revokePrevious)
    {
        var now = clock.GetUtcNow();
        // Newest first: the secret being replaced, then the earlier ones by deadline (equal deadlines keep their stored order).
        var previous = references.RetiredSigningVersions.OrderByDescending(r => r.ExpiresAt).ToList();
        if (references.SigningVersion is { } current)
        {
            previous.Insert(0, new RetiredSecret(current, now + options.Value.RotationOverlap));
        }
        var kept = revokePrevious
            ? []
            : previous.Where(r => r.ExpiresAt > now).Take(options.Value.MaxPreviousSecrets).ToList();
        return new SecretRotation(
            references with { SigningVersion = newVersion, RetiredSigningVersions = kept },
            [.. previous.Select(r => r.Version).Except(kept.Select(r => r.Version), StringComparer.Ordinal)]);
    }

    /// <summary>Ends the overlap of every predecessor at once: only the current signing secret signs.</summary>
    public static SecretRotation RevokePrevious(SecretReferences references) =>
        new(references with { RetiredSigningVersions = [] }, [.. references.RetiredSigningVersions.Select(r => r.Version)]);

    /// <summary>
    /// Discards signing versions nothing refers to any more. Best effort: a version left behind by a
    /// failure here no longer signs (no row names it), so the failure is logged, not raised.
    /// </summary>
    public Task DiscardSigningVersionsAsync(string organizationId, string webhookId, IReadOnlyList<string> versions) =>
        DiscardAsync(SecretNames.Signing(organizationId, webhookId), organizationId, webhookId, versions);

    /// <summary>Discards chat URL versions no row names (a replaced URL, or one a failed change stored); best effort, as above.</summary>
    public Task DiscardUrlVersionsAsync(string organizationId, string webhookId, IReadOnlyList<string> versions) =>
        DiscardAsync(SecretNames.Url(organizationId, webhookId), organizationId, webhookId, versions);

    private async Task DiscardAsync(string name, string organizationId, string webhookId, IReadOnlyList<string> versions)
    {
        foreach (var version in versions)
        {
            try
            {
                // Not the caller's token: a request that ends now must still not leave a secret behind.
                await store.DiscardAsync(name, version, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogDiscardFailed(e, organizationId, webhookId, version);
            }
        }
    }

    /// <summary>
    /// The signing secrets valid now, current first: deliveries carry one signature for each. At most
    /// <see cref="SecretsOptions.MaxPreviousSecrets"/> predecessors, also for rows written before the cap.
    /// </summary>
    public async Task<IReadOnlyList<string>> SigningSecretsAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        var name = SecretNames.Signing(webhook.OrganizationId, webhook.Id);
        var secrets = new List<string>();
        foreach (var version in webhook.Secrets.SigningVersionsValidAt(clock.GetUtcNow()).Take(1 + options.Value.MaxPreviousSecrets))
        {
            if (await store.GetAsync(name, version, cancellationToken) is { } secret)
            {
                secrets.Add(secret);
            }
        }
        return secrets;
    }

    /// <summary>The URL deliveries are sent to: the stored URL of a generic webhook, the secret one of a chat webhook.</summary>
    public async Task<string> EndpointUrlAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        if (webhook.Url is not null)
        {
            return webhook.Url;
        }
        var version = webhook.Secrets.UrlVersion
            ?? throw new InvalidOperationException($"Webhook {webhook.Id} has neither a URL nor a URL secret.");
        return await store.GetAsync(SecretNames.Url(webhook.OrganizationId, webhook.Id), version, cancellationToken)
            ?? throw new InvalidOperationException($"The URL secret of webhook {webhook.Id} is missing from the secret store.");
    }

    public async Task DeleteAllAsync(string organizationId, string webhookId, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(SecretNames.Signing(organizationId, webhookId), cancellationToken);
        await store.DeleteAsync(SecretNames.Url(organizationId, webhookId), cancellationToken);
    }

    [LoggerMessage(1101, LogLevel.Warning, "Could not discard version {Version} of a secret of webhook {WebhookId} of organization {OrganizationId}; no row refers to it, so it is no longer used")]
    private partial void LogDiscardFailed(Exception exception, string organizationId, string webhookId, string version);
}

/// <summary>The references after a rotation or revocation, and the signing versions that no longer sign.</summary>
public sealed record SecretRotation(SecretReferences References, IReadOnlyList<string> Dropped);
