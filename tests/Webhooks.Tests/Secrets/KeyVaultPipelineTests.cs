using System.Diagnostics.CodeAnalysis;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Management;
using Webhooks.Secrets;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Secrets;

/// <summary>The management API with Key Vault configured: secret values live in the vault and nowhere else.</summary>
[Collection(ManagementStorageTests.Name)]
[SuppressMessage("Reliability", "CA1001", Justification = "The app is made from the started vault in InitializeAsync, so xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class KeyVaultPipelineTests(AzuriteFixture storage) : IAsyncLifetime
{
    private const string SlackUrl = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX";

    private readonly string org = ApiCalls.NewOrganization();
    private KeyVaultFake vault = null!;
    private PipelineApp app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        vault = await KeyVaultFake.StartAsync();
        app = new PipelineApp(
            storage,
            // Registered after the app's own SecretClient, so it is the one resolved.
            services => services.AddSingleton(vault.CreateClient()),
            new Dictionary<string, string?> { ["Webhooks:Secrets:VaultUri"] = vault.VaultUri.ToString() });
        client = app.CreateApiClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await vault.DisposeAsync();
    }

    [Fact]
    public async Task CreatingAGenericWebhookKeepsItsSigningSecretInTheVaultOnly()
    {
        var created = await client.CreateWebhookAsync(org);
        var id = created.Id;
        var secret = created.Secret!;

        Assert.StartsWith(SigningSecret.Prefix, secret, StringComparison.Ordinal);
        var name = SecretNames.Signing(org, id);
        Assert.Equal([secret], vault.Values[name]);
        var row = await ReadRowAsync(id);
        Assert.Equal(vault.VersionsOf(name).Single(), row.GetString("SigningVersion"));
        AssertNoColumnContains(row, secret[SigningSecret.Prefix.Length..]);
        await AssertDevelopmentStoreUnusedAsync();
    }

    [Fact]
    public async Task TheSigningSecretIsNotShownAgainButIsReadBackFromTheVault()
    {
        var created = await client.CreateWebhookAsync(org);
        var id = created.Id;

        var shown = await (await client.GetAsync(Routes.Webhook(org, id))).ReadJsonAsync();

        Assert.False(shown.TryGetProperty("secret", out _));
        var webhook = await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, CancellationToken.None);
        var signing = await app.Services.GetRequiredService<WebhookSecrets>().SigningSecretsAsync(webhook!, CancellationToken.None);
        Assert.Equal([created.Secret!], signing);
    }

    [Fact]
    public async Task ResolvingSecretsRepeatedlyReachesTheVaultOnce()
    {
        var id = (await client.CreateWebhookAsync(org)).Id;
        var webhook = await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, CancellationToken.None);
        var secrets = app.Services.GetRequiredService<WebhookSecrets>();
        await secrets.SigningSecretsAsync(webhook!, CancellationToken.None);
        var before = vault.RequestCount;

        for (var i = 0; i < 100; i++)
        {
            await secrets.SigningSecretsAsync(webhook!, CancellationToken.None);
        }

        // Deliveries resolve secrets on every attempt; the cache keeps that off Key Vault's request limits.
        Assert.Equal(before, vault.RequestCount);
    }

    [Fact]
    public async Task ASlackWebhookKeepsItsUrlInTheVaultAndShowsItMasked()
    {
        var created = await client.CreateWebhookAsync(org, SlackUrl, name: "alerts", type: "slack");
        var id = created.Id;

        var shownUrl = created.Json.GetProperty("url").GetString()!;
        Assert.Equal(EndpointUrlRules.Mask(new Uri(SlackUrl)), shownUrl);
        Assert.DoesNotContain("B000/XXXXXXXXXXXXXXXX", shownUrl, StringComparison.Ordinal);
        Assert.False(created.Json.TryGetProperty("secret", out _));
        Assert.Equal([SlackUrl], vault.Values[SecretNames.Url(org, id)]);
        // Chat webhooks are not signed: their URL is their credential.
        Assert.False(vault.Values.ContainsKey(SecretNames.Signing(org, id)));
        var row = await ReadRowAsync(id);
        Assert.Equal(vault.VersionsOf(SecretNames.Url(org, id)).Single(), row.GetString("UrlVersion"));
        AssertNoColumnContains(row, "B000/XXXXXXXXXXXXXXXX");
        await AssertDevelopmentStoreUnusedAsync();
    }

    [Fact]
    public async Task DeliveriesResolveASlackUrlFromTheVault()
    {
        var created = await client.CreateWebhookAsync(org, SlackUrl, name: "alerts", type: "slack");
        var id = created.Id;
        var before = vault.RequestCount;

        var webhook = await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, CancellationToken.None);
        var url = await app.Services.GetRequiredService<WebhookSecrets>().EndpointUrlAsync(webhook!, CancellationToken.None);

        Assert.Equal(SlackUrl, url);
        Assert.True(vault.RequestCount > before, "the URL should have been read from the vault");
    }

    [Fact]
    public async Task RegeneratingAddsAVaultVersion()
    {
        var created = await client.CreateWebhookAsync(org);
        var id = created.Id;
        var first = created.Secret!;

        var response = await client.PostAsync(Routes.RegenerateSecret(org, id), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = (await response.ReadJsonAsync()).GetProperty("secret").GetString()!;
        Assert.NotEqual(first, second);
        var name = SecretNames.Signing(org, id);
        Assert.Equal([first, second], vault.Values[name]);
        var versions = vault.VersionsOf(name);
        var row = await ReadRowAsync(id);
        Assert.Equal(versions[1], row.GetString("SigningVersion"));
        Assert.Contains(versions[0], row.GetString("RetiredSigningVersions"), StringComparison.Ordinal);
        AssertNoColumnContains(row, first[SigningSecret.Prefix.Length..]);
        AssertNoColumnContains(row, second[SigningSecret.Prefix.Length..]);
        // During the overlap both versions sign, the new one first.
        var webhook = await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, CancellationToken.None);
        var signing = await app.Services.GetRequiredService<WebhookSecrets>().SigningSecretsAsync(webhook!, CancellationToken.None);
        Assert.Equal([second, first], signing);
    }

    [Fact]
    public async Task RevokedPreviousSecretsAreDisabledInTheVault()
    {
        var id = (await client.CreateWebhookAsync(org)).Id;
        var regenerated = await client.PostAsync(Routes.RegenerateSecret(org, id), null);
        Assert.Equal(HttpStatusCode.OK, regenerated.StatusCode);

        var response = await client.PostAsync(Routes.RevokePreviousSecret(org, id), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var versions = vault.VersionsOf(SecretNames.Signing(org, id));
        Assert.False(vault.IsEnabled(SecretNames.Signing(org, id), versions[0]));
        Assert.True(vault.IsEnabled(SecretNames.Signing(org, id), versions[1]));
        var webhook = await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, CancellationToken.None);
        Assert.Equal(versions[1], webhook!.Secrets.SigningVersion);
        Assert.Empty(webhook.Secrets.RetiredSigningVersions);
    }

    [Theory]
    [InlineData("generic", "https://receiver.example.com/hooks")]
    [InlineData("slack", SlackUrl)]
    public async Task DeletingAWebhookDeletesItsVaultSecrets(string type, string url)
    {
        var created = await client.CreateWebhookAsync(org, url, name: "doomed", type: type);
        var id = created.Id;
        var stored = type == "slack" ? SecretNames.Url(org, id) : SecretNames.Signing(org, id);
        var version = vault.VersionsOf(stored).Single();

        var response = await client.DeleteAsync(Routes.Webhook(org, id));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(vault.IsDeleted(stored));
        var read = await Assert.ThrowsAsync<RequestFailedException>(() => vault.CreateClient().GetSecretAsync(stored, version));
        Assert.Equal(404, read.Status);
        var gone = await client.GetAsync(Routes.Webhook(org, id));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private async Task<TableEntity> ReadRowAsync(string id)
    {
        var table = new TableClient(storage.ConnectionString, "webhooks");
        return (await table.GetEntityAsync<TableEntity>(org, id)).Value;
    }

    /// <summary>Proves the vault, not the development table, took the secrets: it has nothing for this organization.</summary>
    private async Task AssertDevelopmentStoreUnusedAsync()
    {
        var table = new TableClient(storage.ConnectionString, new SecretsOptions().DevelopmentTable);
        await table.CreateIfNotExistsAsync();
        var prefix = SecretNames.Signing(org, "x")[..^"x-signing".Length];
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            Assert.False(row.PartitionKey.StartsWith(prefix, StringComparison.Ordinal), $"development store holds {row.PartitionKey}");
        }
    }

    private static void AssertNoColumnContains(TableEntity row, string secret)
    {
        foreach (var (column, value) in row)
        {
            Assert.False(value?.ToString()?.Contains(secret, StringComparison.Ordinal) ?? false, $"column {column} holds the secret");
        }
    }
}
