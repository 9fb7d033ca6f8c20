using System.Text.Json;
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
        catch (RequestFailedException e) when (e.Status == 404 || IsDisabled(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Key Vault cannot delete one version of a secret (only the whole secret), so a discarded
    /// version is disabled instead: it stays listed in the vault but can no longer be read.
    /// </summary>
    public async Task DiscardAsync(string name, string version, CancellationToken cancellationToken)
    {
        var properties = new SecretProperties(new Uri(client.VaultUri, $"secrets/{name}/{version}")) { Enabled = false };
        try
        {
            await client.UpdateSecretPropertiesAsync(properties, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The version or the whole secret is gone (deleted with its webhook): nothing left to disable.
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

    // Reading a disabled version is refused with 403 and the inner code SecretDisabled; any other 403 (missing access) must still fail.
    private static bool IsDisabled(RequestFailedException e)
    {
        if (e.Status != 403 || e.GetRawResponse()?.Content is not { } content)
        {
            return false;
        }
        try
        {
            using var body = JsonDocument.Parse(content.ToMemory());
            return body.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("innererror", out var inner) && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && code.ValueEquals("SecretDisabled");
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
