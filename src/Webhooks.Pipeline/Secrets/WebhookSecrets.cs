using Microsoft.Extensions.Options;
using Webhooks.Model;

namespace Webhooks.Secrets;

/// <summary>
/// The secrets that belong to one webhook: its signing secret (with the versions still valid during
/// a rotation overlap) and, for chat webhooks, the token-bearing URL.
/// </summary>
public sealed class WebhookSecrets(ISecretStore store, TimeProvider clock, IOptions<SecretsOptions> options)
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
    /// Moves the current signing version into the retired list with its overlap deadline, drops
    /// retired versions that have expired, and makes <paramref name="newVersion"/> current.
    /// </summary>
    public SecretReferences Rotate(SecretReferences references, string newVersion)
    {
        var now = clock.GetUtcNow();
        var retired = references.RetiredSigningVersions.Where(r => r.ExpiresAt > now).ToList();
        if (references.SigningVersion is { } current)
        {
            retired.Add(new RetiredSecret(current, now + options.Value.RotationOverlap));
        }
        return references with { SigningVersion = newVersion, RetiredSigningVersions = retired };
    }

    /// <summary>Every signing secret valid now, current first: deliveries carry one signature for each.</summary>
    public async Task<IReadOnlyList<string>> SigningSecretsAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        var name = SecretNames.Signing(webhook.OrganizationId, webhook.Id);
        var secrets = new List<string>();
        foreach (var version in webhook.Secrets.SigningVersionsValidAt(clock.GetUtcNow()))
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
}
