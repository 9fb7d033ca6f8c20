using System.Net;
using System.Net.Http.Headers;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

[Collection(ManagementStorageTests.Name)]
public sealed class AuthenticationTests(AzuriteFixture storage) : IDisposable
{
    private readonly PipelineApp app = new(storage);

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("test-api-key-012345678")]
    public async Task RequestsWithoutTheApiKeyAreRefusedWithAProblem(string? key)
    {
        var client = app.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        var response = await client.GetAsync("/api/event-types");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var webhooks = await client.GetAsync($"/api/orgs/{ApiCalls.NewOrganization()}/webhooks");
        Assert.Equal(HttpStatusCode.Unauthorized, webhooks.StatusCode);
    }

    [Fact]
    public async Task TheApiKeyIsAcceptedAsABearerToken()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PipelineApp.ApiKey);
        var response = await client.GetAsync("/api/event-types");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EventTypesListTheDefaultCatalogueAndThePipelinesOwnType()
    {
        var body = await (await app.CreateApiClient().GetAsync("/api/event-types")).ReadJsonAsync();
        var names = body.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToArray();
        Assert.Equal<string>(["build_completed", "build_failed", "submit_completed", "submit_failed", "update_completed", "update_failed", "webhook.disabled"], names);
    }

    public void Dispose() => app.Dispose();
}
