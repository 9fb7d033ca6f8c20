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

    /// <summary>Where the embedded Azurite keeps its data; the checkout's <c>.azurite/</c> unless set (a test run beside a developer's own uses another).</summary>
    public const string DataFolderSetting = "Webhooks:LocalDevelopment:DataFolder";

    public static async Task<bool> StartIfConfiguredAsync(WebApplicationBuilder builder)
    {
        if (IsStorageConfigured(builder) || !builder.Configuration.GetValue<bool>(Setting))
        {
            return false;
        }
        var folder = DataFolder(builder.Configuration);
        var azurite = await AzuriteProcess.StartAsync(folder);
        UseConnectionString(builder, azurite.ConnectionString);
        // Command-line tools of this checkout (publish) find the running emulator here.
        await File.WriteAllTextAsync(ConnectionFile(folder), azurite.ConnectionString);
        builder.Services.AddHostedService(_ => new StopWithHost(azurite, ConnectionFile(folder)));
        return true;
    }

    /// <summary>For a command-line tool: when no storage is configured, use the embedded Azurite of a local run, if one is running.</summary>
    public static void UseRunningLocalStorage(WebApplicationBuilder builder)
    {
        var folder = DataFolder(builder.Configuration);
        if (!IsStorageConfigured(builder) && File.Exists(ConnectionFile(folder)))
        {
            UseConnectionString(builder, File.ReadAllText(ConnectionFile(folder)).Trim());
        }
    }

    private static bool IsStorageConfigured(WebApplicationBuilder builder) =>
        builder.Configuration[$"{StorageOptions.Section}:ConnectionString"] is { Length: > 0 }
        || builder.Configuration[$"{StorageOptions.Section}:TableServiceUri"] is { Length: > 0 };

    private static void UseConnectionString(WebApplicationBuilder builder, string connectionString) =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{StorageOptions.Section}:ConnectionString"] = connectionString,
        });

    private static string DataFolder(ConfigurationManager configuration) =>
        configuration[DataFolderSetting] is { Length: > 0 } folder ? Path.GetFullPath(folder) : Path.Combine(RepositoryRoot.Find(), ".azurite");

    private static string ConnectionFile(string folder) => Path.Combine(folder, "connection-string");

    /// <summary>Stops Azurite when the host stops.</summary>
    private sealed class StopWithHost(AzuriteProcess azurite, string connectionFile) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            File.Delete(connectionFile);
            await azurite.DisposeAsync();
        }
    }
}
