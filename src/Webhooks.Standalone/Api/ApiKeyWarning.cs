using Webhooks.Api;

namespace Webhooks.Standalone.Api;

/// <summary>Says at start-up that no API key is configured: this host's routes would refuse every request (the Functions app uses function keys instead).</summary>
internal sealed partial class ApiKeyWarning(ApiKeyAuthenticator keys, ILogger<ApiKeyWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!keys.HasKeys)
        {
            LogNoApiKeys();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(3, LogLevel.Warning, "No API keys are configured (Webhooks:Api:Keys): every management request will be refused with 401.")]
    private partial void LogNoApiKeys();
}
