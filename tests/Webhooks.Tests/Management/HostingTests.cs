using System.Net;
using Microsoft.Extensions.Logging;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>What the host shows about itself: its OpenAPI document and its start-up warnings.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class HostingTests(AzuriteFixture storage) : IDisposable
{
    private readonly PipelineApp app = new(storage);

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheManagementRoutes()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.ReadJsonAsync()).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/orgs/{orgId}/webhooks/{webhookId}", out var webhook));
        Assert.True(webhook.TryGetProperty("patch", out _));
        Assert.True(paths.TryGetProperty("/api/orgs/{orgId}/webhooks/{webhookId}/secret/regenerate", out _));
        Assert.True(paths.TryGetProperty("/api/event-types", out _));
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesSecretRevocation()
    {
        var paths = (await (await app.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync()).GetProperty("paths");

        var regenerate = paths.GetProperty("/api/orgs/{orgId}/webhooks/{webhookId}/secret/regenerate").GetProperty("post");
        var parameter = regenerate.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "revokePrevious");
        Assert.Equal("query", parameter.GetProperty("in").GetString());
        Assert.Equal("boolean", parameter.GetProperty("schema").GetProperty("type").GetString());
        Assert.True(regenerate.GetProperty("responses").TryGetProperty("503", out _));
        var revoke = paths.GetProperty("/api/orgs/{orgId}/webhooks/{webhookId}/secret/revoke-previous").GetProperty("post");
        Assert.Equal("RevokePreviousWebhookSecrets", revoke.GetProperty("operationId").GetString());
        Assert.True(revoke.GetProperty("responses").TryGetProperty("412", out _));
    }

    [Fact]
    public async Task TheApiReferencePageLoadsNothingFromTheInternet()
    {
        var client = app.CreateClient();
        var page = await client.GetStringAsync("/scalar");

        // Scalar's default fonts come from its CDN; an offline machine would wait on them.
        Assert.DoesNotContain("\"withDefaultFonts\":true", page, StringComparison.Ordinal);
        Assert.Contains("\"withDefaultFonts\":false", page, StringComparison.Ordinal);
        foreach (var source in System.Text.RegularExpressions.Regex.Matches(page, "src=\"([^\"]+)\"").Select(m => m.Groups[1].Value))
        {
            Assert.False(source.StartsWith("http", StringComparison.OrdinalIgnoreCase) || source.StartsWith("//", StringComparison.Ordinal), $"the page loads {source}");
        }
    }

    [Fact]
    public async Task WithoutAVaultTheHostWarnsThatSecretsAreInTheDevelopmentStore()
    {
        // The first request starts the host and its start-up checks.
        await app.CreateApiClient().GetAsync("/api/event-types");
        var warnings = app.Logs.GetSnapshot().Where(l => l.Level == LogLevel.Warning).Select(l => l.Message);
        Assert.Contains(warnings, m => m.Contains("DEVELOPMENT store", StringComparison.Ordinal));
    }

    [Fact]
    public void OutsideDevelopmentTheHostRefusesToStartWithoutAVault()
    {
        using var production = new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Secrets:AllowDevelopmentStore"] = "false" });
        var e = Assert.ThrowsAny<Exception>(() => production.CreateClient());
        Assert.Contains("VaultUri", e.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => app.Dispose();
}
