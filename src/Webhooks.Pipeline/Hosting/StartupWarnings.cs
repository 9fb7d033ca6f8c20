using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Secrets;
using Webhooks.Sending;

namespace Webhooks.Hosting;

/// <summary>Says at start-up which safety nets are off, so nobody runs a development setting in production unaware.</summary>
internal sealed partial class StartupWarnings(
    IOptions<SecretsOptions> secrets,
    IOptions<EndpointOptions> endpoints,
    ILogger<StartupWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (secrets.Value.VaultUri is null)
        {
            LogDevelopmentSecretStore(secrets.Value.DevelopmentTable);
        }
        if (endpoints.Value.AllowLoopback)
        {
            LogLoopbackAllowed();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "No Key Vault is configured (Webhooks:Secrets:VaultUri): secrets are kept by the DEVELOPMENT store in table {Table}. Never run like this in production.")]
    private partial void LogDevelopmentSecretStore(string table);

    [LoggerMessage(2, LogLevel.Warning, "Webhooks:Endpoints:AllowLoopback is on: webhooks may point at loopback addresses over plain http. Development only.")]
    private partial void LogLoopbackAllowed();
}
