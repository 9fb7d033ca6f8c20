using System.Net.Http.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Protection;

/// <summary>A webhook's <c>rateLimit</c> through the API: checked, stored, shown with the protection it leads to, and removable.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class RateLimitFieldTests(AzuriteFixture storage) : IDisposable
{
    private readonly PipelineApp app = new(storage, settings: new Dictionary<string, string?> { ["Webhooks:Protection:MaxRateLimit"] = "200" });
    private readonly string org = ApiCalls.NewOrganization();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(201)]
    public async Task ALimitOutsideOneToTheMaximumIsRefusedNamingTheField(int limit)
    {
        var response = await app.CreateApiClient().PostAsJsonAsync(Routes.Webhooks(org), new { name = "n", url = "https://example.com/h", rateLimit = limit });
        var messages = await response.AssertFieldErrorAsync("rateLimit");
        Assert.Contains(messages, m => m.Contains("200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANonNumericLimitIsRefused()
    {
        var response = await app.CreateApiClient().PostAsync(Routes.Webhooks(org), new StringContent("""{"name":"n","url":"https://example.com/h","rateLimit":"fast"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("rateLimit", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALimitIsShownWithTheRateItLeadsToAndZeroRemovesIt()
    {
        var api = app.CreateApiClient();
        var created = await (await api.PostAsJsonAsync(Routes.Webhooks(org), new { name = "n", url = "https://example.com/h", rateLimit = 50 })).ReadJsonAsync();
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(50, created.GetProperty("rateLimit").GetInt32());

        var read = await api.GetAsync(Routes.Webhook(org, id));
        var protection = (await read.ReadJsonAsync()).GetProperty("protection");
        Assert.Equal(50, protection.GetProperty("effectiveRate").GetDouble());
        Assert.Equal("limit", protection.GetProperty("reason").GetString());
        Assert.Equal("closed", protection.GetProperty("circuit").GetString());

        var removed = await api.PatchAsJsonAsync(Routes.Webhook(org, id), new { rateLimit = 0 });
        Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync());
        Assert.NotEqual(read.Headers.ETag, removed.Headers.ETag);
        var listed = (await (await api.GetAsync(Routes.Webhooks(org))).ReadJsonAsync()).GetProperty("data")[0];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("rateLimit").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("protection").GetProperty("effectiveRate").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("protection").GetProperty("reason").ValueKind);
    }

    public void Dispose() => app.Dispose();
}
