using Webhooks.Storage;

namespace Webhooks.Standalone.LocalDevelopment;

/// <summary>
/// The local run's embedded default: when <c>Webhooks:LocalDevelopment:EmbeddedStorage</c> is on and
/// no storage is configured, start Azurite with its data under the checkout's <c>.azurite/</c> folder
/// and point the pipeline at it. Azurite stops with the host.
/// </summary>
public static class EmbeddedStorage
{
    public const string Setting = "Webhooks:LocalDevelopment:EmbeddedStorage";

    public static async Task<bool> StartIfConfiguredAsync(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[$"{StorageOptions.Section}:ConnectionString"] is { Length: > 0 }
            || builder.Configuration[$"{StorageOptions.Section}:TableServiceUri"] is { Length: > 0 };
        if (configured || !builder.Configuration.GetValue<bool>(Setting))
        {
            return false;
        }
        var azurite = await AzuriteProcess.StartAsync(Path.Combine(RepositoryRoot.Find(), ".azurite"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{StorageOptions.Section}:ConnectionString"] = azurite.ConnectionString,
        });
        builder.Services.AddHostedService(_ => new StopWithHost(azurite));
        return true;
    }

    /// <summary>Stops Azurite when the host stops.</summary>
    private sealed class StopWithHost(AzuriteProcess azurite) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => azurite.DisposeAsync().AsTask();
    }
}
