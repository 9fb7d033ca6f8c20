using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Operability;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c> on the standalone host: open without an API key,
/// ready while storage (and the vault, when configured) answers, not ready once it stops, and never
/// saying more than each check's name and state.
/// </summary>
[Collection(ManagementStorageTests.Name)]
public sealed class HealthEndpointTests(AzuriteFixture storage)
{
    private static readonly TimeSpan PastTheCache = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task ReadinessAnswersReadyWithoutAnApiKeyWhileStorageAnswers()
    {
        await using var app = new PipelineApp(storage);
        using var client = app.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var answer = await ready.ReadJsonAsync();
        Assert.Equal("Healthy", answer.GetProperty("status").GetString());
        Assert.Equal("Healthy", answer.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.False(answer.GetProperty("checks").TryGetProperty("keyVault", out _));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Empty((await live.ReadJsonAsync()).GetProperty("checks").EnumerateObject());
    }

    [Fact]
    [SuppressMessage("Reliability", "CA2000", Justification = "The Azurite of this test is disposed in the test, to stop it halfway.")]
    public async Task ReadinessAnswersNotReadyOnceStorageStopsWhileLivenessStaysUp()
    {
        var own = new AzuriteFixture();
        await own.InitializeAsync();
        var connectionString = own.ConnectionString;
        await using var app = new PipelineApp(own);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await own.DisposeAsync();
        app.Clock.Advance(PastTheCache);
        using var ready = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var text = await ready.Content.ReadAsStringAsync();
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Unhealthy", answer.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", answer.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        AssertSaysNothingSensitive(text, connectionString);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task ReadinessReusesAResultForAFewSeconds()
    {
        await using var vault = await KeyVaultFake.StartAsync();
        await using var app = VaultApp(vault);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var asked = vault.RequestCount;

        await client.GetAsync("/health/ready");
        await client.GetAsync("/health/ready");
        var reused = vault.RequestCount;
        app.Clock.Advance(PastTheCache);
        await client.GetAsync("/health/ready");

        Assert.Equal(asked, reused);
        Assert.True(vault.RequestCount > reused, "After the cache duration the vault is asked again.");
    }

    [Fact]
    public async Task ReadinessChecksTheVaultWhenOneIsConfigured()
    {
        var vault = await KeyVaultFake.StartAsync();
        var vaultUri = vault.VaultUri.ToString();
        await using var app = VaultApp(vault);
        using var client = app.CreateClient();
        using var before = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("Healthy", (await before.ReadJsonAsync()).GetProperty("checks").GetProperty("keyVault").GetProperty("status").GetString());

        await vault.DisposeAsync();
        app.Clock.Advance(PastTheCache);
        using var after = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        var text = await after.Content.ReadAsStringAsync();
        var checks = JsonDocument.Parse(text).RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("keyVault").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("storage").GetProperty("status").GetString());
        AssertSaysNothingSensitive(text, vaultUri);
    }

    [Fact]
    public async Task AVaultThatRefusesTheAppIsNotReady()
    {
        await using var vault = await KeyVaultFake.StartAsync();
        await using var app = new PipelineApp(
            storage,
            services => services.AddSingleton(vault.CreateClient("a-token-the-vault-refuses")),
            new Dictionary<string, string?> { ["Webhooks:Secrets:VaultUri"] = vault.VaultUri.ToString() });
        using var client = app.CreateClient();

        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (await ready.ReadJsonAsync()).GetProperty("checks").GetProperty("keyVault").GetProperty("status").GetString());
    }

    private PipelineApp VaultApp(KeyVaultFake vault) => new(
        storage,
        // Registered after the app's own SecretClient, so it is the one resolved.
        services => services.AddSingleton(vault.CreateClient()),
        new Dictionary<string, string?> { ["Webhooks:Secrets:VaultUri"] = vault.VaultUri.ToString() });

    private static void AssertSaysNothingSensitive(string answer, string address)
    {
        Assert.DoesNotContain("127.0.0.1", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(address, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", answer, StringComparison.Ordinal);
    }
}
