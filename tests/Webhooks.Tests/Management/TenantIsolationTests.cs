using System.Net;
using System.Net.Http.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>An organization can neither see nor touch another organization's webhooks.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class TenantIsolationTests(AzuriteFixture storage) : IDisposable
{
    private readonly PipelineApp app = new(storage);
    private readonly string owner = ApiCalls.NewOrganization();
    private readonly string intruder = ApiCalls.NewOrganization();

    [Fact]
    public async Task AnotherOrganizationGets404ForEveryOperation()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(owner, name: "private")).Id;
        var foreign = Routes.Webhook(intruder, id);

        var responses = new[]
        {
            await client.GetAsync(foreign),
            await client.PatchAsJsonAsync(foreign, new { name = "hijacked", url = "https://attacker.example.com/h" }),
            await client.PostAsync($"{foreign}/secret/regenerate", null),
            await client.DeleteAsync(foreign),
        };
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.All(responses, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));

        var still = await (await client.GetAsync(Routes.Webhook(owner, id))).ReadJsonAsync();
        Assert.Equal("private", still.GetProperty("name").GetString());
        Assert.Equal("https://receiver.example.com/hooks", still.GetProperty("url").GetString());
    }

    [Fact]
    public async Task ListingNeverShowsAnotherOrganizationsWebhooks()
    {
        var client = app.CreateApiClient();
        await client.CreateWebhookAsync(owner, name: "a");
        await client.CreateWebhookAsync(owner, name: "b");
        var mine = (await client.CreateWebhookAsync(intruder, name: "mine")).Id;

        var page = await (await client.GetAsync(Routes.Webhooks(intruder))).ReadJsonAsync();
        var ids = page.GetProperty("data").EnumerateArray().Select(w => w.GetProperty("id").GetString()!).ToArray();
        Assert.Equal<string>([mine], ids);
    }

    [Fact]
    public async Task AnotherOrganizationsPageTokenIsRefused()
    {
        var client = app.CreateApiClient();
        for (var i = 0; i < 3; i++)
        {
            await client.CreateWebhookAsync(owner, name: $"hook {i}");
        }
        var token = (await (await client.GetAsync($"{Routes.Webhooks(owner)}?limit=1")).ReadJsonAsync()).GetProperty("nextPageToken").GetString();
        Assert.NotNull(token);

        var response = await client.GetAsync($"{Routes.Webhooks(intruder)}?pageToken={token}");
        await response.AssertFieldErrorAsync("pageToken");
    }

    [Fact]
    public async Task IdsThatAreNotWebhookIdsAre404NotErrors()
    {
        var client = app.CreateApiClient();
        foreach (var id in new[] { "nope", "wh_", "wh_%27%20or%20%271%27%20eq%20%271" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Routes.Webhook(owner, id))).StatusCode);
        }
    }

    public void Dispose() => app.Dispose();
}
