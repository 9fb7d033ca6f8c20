using Azure;
using Azure.Security.KeyVault.Secrets;
using Webhooks.Secrets;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Secrets;

public sealed class KeyVaultSecretStoreTests : IAsyncLifetime
{
    private KeyVaultFake vault = null!;
    private SecretClient client = null!;
    private KeyVaultSecretStore store = null!;

    public async Task InitializeAsync()
    {
        vault = await KeyVaultFake.StartAsync();
        client = vault.CreateClient();
        store = new KeyVaultSecretStore(client);
    }

    public async Task DisposeAsync() => await vault.DisposeAsync();

    [Fact]
    public async Task SettingReturnsAVersionThatReadsBackTheValue()
    {
        var version = await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);

        Assert.Matches("^[0-9a-f]{32}$", version);
        Assert.Equal("whsec_first", await store.GetAsync("hook-signing", version, CancellationToken.None));
        Assert.Equal(["whsec_first"], vault.Values["hook-signing"]);
    }

    [Fact]
    public async Task StoredSecretsAreMarkedAsPlainTextManagedByThePipeline()
    {
        var version = await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);

        KeyVaultSecret secret = await client.GetSecretAsync("hook-signing", version);
        Assert.Equal("text/plain", secret.Properties.ContentType);
        Assert.Equal("webhook-pipeline", secret.Properties.Tags["managed-by"]);
        Assert.Equal(new Uri(vault.VaultUri, $"secrets/hook-signing/{version}"), secret.Id);
    }

    [Fact]
    public async Task ASecondSetMakesANewVersionAndTheFirstKeepsItsValue()
    {
        var first = await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);
        var second = await store.SetAsync("hook-signing", "whsec_second", CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.Equal("whsec_first", await store.GetAsync("hook-signing", first, CancellationToken.None));
        Assert.Equal("whsec_second", await store.GetAsync("hook-signing", second, CancellationToken.None));
        Assert.Equal([first, second], vault.VersionsOf("hook-signing"));
    }

    [Fact]
    public async Task ListingVersionsFollowsNextLinkAndSeesEveryVersion()
    {
        vault.VersionsPageSize = 1;
        var first = await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);
        var second = await store.SetAsync("hook-signing", "whsec_second", CancellationToken.None);

        var pages = new List<Page<SecretProperties>>();
        await foreach (var page in client.GetPropertiesOfSecretVersionsAsync("hook-signing").AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal(2, pages.Count);
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.Null(pages[1].ContinuationToken);
        var versions = pages.SelectMany(p => p.Values).ToArray();
        Assert.Equal([first, second], versions.Select(v => v.Version));
        Assert.All(versions, v => Assert.Equal("hook-signing", v.Name));
    }

    [Fact]
    public async Task GettingAMissingSecretOrVersionReturnsNull()
    {
        await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);

        Assert.Null(await store.GetAsync("never-set", Guid.NewGuid().ToString("N"), CancellationToken.None));
        Assert.Null(await store.GetAsync("hook-signing", Guid.NewGuid().ToString("N"), CancellationToken.None));
    }

    [Fact]
    public async Task DeletingMakesEveryVersionUnreadable()
    {
        var first = await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);
        var second = await store.SetAsync("hook-signing", "whsec_second", CancellationToken.None);

        await store.DeleteAsync("hook-signing", CancellationToken.None);

        Assert.True(vault.IsDeleted("hook-signing"));
        Assert.Null(await store.GetAsync("hook-signing", first, CancellationToken.None));
        Assert.Null(await store.GetAsync("hook-signing", second, CancellationToken.None));
        // Soft delete: the vault still holds it as a deleted secret until purged.
        DeletedSecret deleted = await client.GetDeletedSecretAsync("hook-signing");
        Assert.Equal(new Uri(vault.VaultUri, "deletedsecrets/hook-signing"), deleted.RecoveryId);
    }

    [Fact]
    public async Task DeletingAMissingOrAlreadyDeletedSecretIsNotAnError()
    {
        await store.DeleteAsync("never-set", CancellationToken.None);

        await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);
        await store.DeleteAsync("hook-signing", CancellationToken.None);
        await store.DeleteAsync("hook-signing", CancellationToken.None);

        Assert.True(vault.IsDeleted("hook-signing"));
    }

    [Fact]
    public async Task ADeleteCanBeAwaitedToCompletion()
    {
        await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);

        var operation = await client.StartDeleteSecretAsync("hook-signing");
        await operation.WaitForCompletionAsync();

        Assert.True(operation.HasCompleted);
        Assert.Equal("hook-signing", operation.Value.Name);
    }

    [Fact]
    public async Task DiscardingAVersionDisablesItAndLeavesTheOthersReadable()
    {
        var first = await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);
        var second = await store.SetAsync("hook-signing", "whsec_second", CancellationToken.None);

        await store.DiscardAsync("hook-signing", first, CancellationToken.None);

        // Key Vault cannot delete one version: the discarded one is disabled, so it can no longer be read.
        Assert.False(vault.IsEnabled("hook-signing", first));
        Assert.True(vault.IsEnabled("hook-signing", second));
        Assert.Null(await store.GetAsync("hook-signing", first, CancellationToken.None));
        Assert.Equal("whsec_second", await store.GetAsync("hook-signing", second, CancellationToken.None));
        var read = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("hook-signing", first));
        Assert.Equal(403, read.Status);
    }

    [Fact]
    public async Task DiscardingAMissingVersionOrSecretIsNotAnError()
    {
        await store.DiscardAsync("never-set", Guid.NewGuid().ToString("N"), CancellationToken.None);
        var version = await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);
        await store.DiscardAsync("hook-signing", Guid.NewGuid().ToString("N"), CancellationToken.None);
        await store.DeleteAsync("hook-signing", CancellationToken.None);
        await store.DiscardAsync("hook-signing", version, CancellationToken.None);
    }

    [Fact]
    public async Task RequestsWithAnotherTokenAreRefused()
    {
        var intruder = new KeyVaultSecretStore(vault.CreateClient("some-other-token"));

        var write = await Assert.ThrowsAsync<RequestFailedException>(() => intruder.SetAsync("hook-signing", "whsec_first", CancellationToken.None));
        Assert.Equal(401, write.Status);
        Assert.Equal("Unauthorized", write.ErrorCode);
        Assert.Empty(vault.Values);

        var version = await store.SetAsync("hook-signing", "whsec_first", CancellationToken.None);
        var read = await Assert.ThrowsAsync<RequestFailedException>(() => intruder.GetAsync("hook-signing", version, CancellationToken.None));
        Assert.Equal(401, read.Status);
    }
}
