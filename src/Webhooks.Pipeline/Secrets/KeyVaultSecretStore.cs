using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Webhooks.Secrets;

/// <summary>Secrets in Azure Key Vault; rotation uses Key Vault's own versions.</summary>
public sealed class KeyVaultSecretStore(SecretClient client) : ISecretStore
{
    public async Task<string> SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        var secret = new KeyVaultSecret(name, value);
        secret.Properties.ContentType = "text/plain";
        secret.Properties.Tags["managed-by"] = "webhook-pipeline";
        var stored = await client.SetSecretAsync(secret, cancellationToken);
        return stored.Value.Properties.Version;
    }

    public async Task<string?> GetAsync(string name, string version, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.GetSecretAsync(name, version, cancellationToken);
            return secret.Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            // Soft delete keeps a recoverable copy for the vault's retention period; nothing here waits for the purge.
            await client.StartDeleteSecretAsync(name, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409)
        {
            // 404: already gone. 409: a delete of it is still in progress, so a retried delete has nothing to do.
        }
    }
}
