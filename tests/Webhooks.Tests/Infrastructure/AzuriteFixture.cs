using Webhooks.Standalone.LocalDevelopment;

namespace Webhooks.Tests.Infrastructure;

/// <summary>One Azurite per storage collection (Infrastructure/StorageCollections.cs), from the repository's npm pin, on free ports, stopped at the end.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    public string ConnectionString => azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => azurite = await AzuriteProcess.StartAsync(dataFolder: null);

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
