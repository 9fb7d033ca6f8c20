using System.Net;
using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>The served OpenAPI document names the API, says how each operation is authorized, shows examples, and documents what each webhook type receives.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class OpenApiDocumentTests(AzuriteFixture storage) : IDisposable
{
    private readonly PipelineApp app = new(storage);

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task TheDocumentHasATitleAndADescription()
    {
        var info = (await DocumentAsync()).GetProperty("info");

        Assert.Equal("Webhook delivery pipeline", info.GetProperty("title").GetString());
        Assert.Contains("X-Api-Key", info.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiKeyAndThePortalTokenAreSecuritySchemesAndEveryOperatorRouteRequiresTheKey()
    {
        var document = await DocumentAsync();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");

        var apiKey = schemes.GetProperty("apiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (apiKey.GetProperty("type").GetString(), apiKey.GetProperty("in").GetString(), apiKey.GetProperty("name").GetString()));
        var portal = schemes.GetProperty("portalToken");
        Assert.Equal(("http", "bearer", "JWT"), (portal.GetProperty("type").GetString(), portal.GetProperty("scheme").GetString(), portal.GetProperty("bearerFormat").GetString()));
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)).Select(o => (Path: path.Name, Operation: o.Value)))
            .ToArray();
        Assert.NotEmpty(operations);
        foreach (var (path, operation) in operations)
        {
            var expected = path.StartsWith("/api/portal/", StringComparison.Ordinal) ? "portalToken" : "apiKey";
            var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
            Assert.True(requirement.TryGetProperty(expected, out _), $"{path}: {requirement}");
        }
    }

    [Fact]
    public async Task CreatingAWebhookAndPublishingAnEventHaveExamples()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        var create = paths.GetProperty("/api/orgs/{orgId}/webhooks").GetProperty("post");
        var request = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("https://receiver.example.com/hooks", request.GetProperty("url").GetString());
        var created = create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString(), StringComparison.Ordinal);
        var envelope = paths.GetProperty("/api/orgs/{orgId}/events").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("build_completed", envelope.GetProperty("type").GetString());
        Assert.Equal("acme", envelope.GetProperty("organization").GetProperty("id").GetString());
    }

    [Fact]
    public async Task TheGenericWebhooksHeadersAreTheOnesSentUnderTheConfiguredPrefix()
    {
        await using var acme = new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Signing:HeaderPrefix"] = "X-Acme" });
        var document = await (await acme.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var documented = document.GetProperty("webhooks").GetProperty("generic").GetProperty("post").GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()!);
        var sent = Webhooks.Signing.DeliveryHeaders.For("X-Acme", "msg_1", "build_completed", DateTimeOffset.UnixEpoch, "{}"u8, ["whsec_c2VjcmV0"]).Select(h => h.Key);
        Assert.Equal(sent.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheWebhooksSectionDocumentsEachOutgoingPayloadWithTheSignatureHeaders()
    {
        var document = await DocumentAsync();
        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var webhooks = document.GetProperty("webhooks");

        Assert.Equal(["discord", "generic", "slack", "teams"], webhooks.EnumerateObject().Select(w => w.Name).Order(StringComparer.Ordinal));
        var generic = webhooks.GetProperty("generic").GetProperty("post");
        Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature"],
            generic.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()!).Take(3));
        var genericBody = Body(generic);
        Assert.Equal("build_completed", genericBody.GetProperty("example").GetProperty("event").GetString());
        Assert.True(genericBody.GetProperty("schema").GetProperty("properties").TryGetProperty("organization", out _));
        var teams = Body(webhooks.GetProperty("teams").GetProperty("post")).GetProperty("example");
        Assert.Equal("application/vnd.microsoft.card.adaptive", teams.GetProperty("attachments")[0].GetProperty("contentType").GetString());
        Assert.True(Body(webhooks.GetProperty("slack").GetProperty("post")).GetProperty("example").TryGetProperty("blocks", out _));
        Assert.True(Body(webhooks.GetProperty("discord").GetProperty("post")).GetProperty("example").TryGetProperty("embeds", out _));
    }

    private static JsonElement Body(JsonElement operation) =>
        operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");

    public void Dispose() => app.Dispose();
}
