using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Diagnostics;

/// <summary>
/// Ready when the vault answers the app as it answers a read: asking for a secret that does not
/// exist must come back "not found", which proves the vault is reachable and the app's identity is
/// accepted, without reading any secret.
/// </summary>
public sealed class KeyVaultHealthCheck(SecretClient vault, IOptions<HealthOptions> options, TimeProvider clock, ILogger<KeyVaultHealthCheck> logger)
    : CachedHealthCheck(options, clock, logger)
{
    /// <summary>A name no secret of the pipeline has (theirs start with <c>wh-</c>).</summary>
    public const string ProbeName = "health-probe";

    protected override string Unreachable => "Key Vault did not answer.";

    protected override async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await vault.GetSecretAsync(ProbeName, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The answer a working vault gives.
        }
    }
}
