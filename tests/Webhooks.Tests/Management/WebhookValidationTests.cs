using System.Net;
using System.Net.Http.Json;
using System.Text;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>Every validation rule of the management API answers 400 problem+json naming the field.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class WebhookValidationTests(AzuriteFixture storage) : IDisposable
{
    private readonly PipelineApp app = new(storage);
    private readonly string org = ApiCalls.NewOrganization();

    private Task<HttpResponseMessage> Create(object body) => app.CreateApiClient().PostAsJsonAsync(Routes.Webhooks(org), body);

    private Task<HttpResponseMessage> CreateRaw(string json, string contentType = "application/json") =>
        app.CreateApiClient().PostAsync(Routes.Webhooks(org), new StringContent(json, Encoding.UTF8, contentType));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task NameIsRequired(string? name) =>
        await (await Create(new { name, url = "https://example.com/h" })).AssertFieldErrorAsync("name");

    [Fact]
    public async Task NameLongerThan100CharactersIsRefused() =>
        await (await Create(new { name = new string('n', 101), url = "https://example.com/h" })).AssertFieldErrorAsync("name");

    [Fact]
    public async Task NameWithControlCharactersIsRefused() =>
        await (await Create(new { name = "a\u0007b", url = "https://example.com/h" })).AssertFieldErrorAsync("name");

    [Theory]
    [InlineData(null)]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.com/h")]
    [InlineData("http://example.com/h")]
    [InlineData("https://user:pass@example.com/h")]
    [InlineData("https://10.0.0.5/h")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/h")]
    [InlineData("http://127.0.0.1:8080/h")]
    [InlineData("http://localhost:8080/h")]
    public async Task UrlMustBeAPublicAbsoluteHttpsUrl(string? url) =>
        await (await Create(new { name = "n", url })).AssertFieldErrorAsync("url");

    [Fact]
    public async Task UrlLongerThanTheLimitIsRefused() =>
        await (await Create(new { name = "n", url = "https://example.com/" + new string('a', 2100) })).AssertFieldErrorAsync("url");

    [Fact]
    public async Task LoopbackUrlsAreAcceptedOnlyWhenDevelopmentAllowsThem()
    {
        using var development = new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Endpoints:AllowLoopback"] = "true" });
        var created = await development.CreateApiClient().CreateWebhookAsync(org, "http://127.0.0.1:5099/hook", name: "local");
        Assert.Equal("http://127.0.0.1:5099/hook", created.Json.GetProperty("url").GetString());
        await (await Create(new { name = "local", url = "http://127.0.0.1:5099/hook" })).AssertFieldErrorAsync("url");
    }

    [Theory]
    [InlineData("slack", "https://example.com/services/T0/B0/x")]
    [InlineData("slack", "https://hooks.slack.com/other/T0/B0/x")]
    [InlineData("discord", "https://discord.com/channels/1/2")]
    [InlineData("discord", "https://example.com/api/webhooks/1/abc")]
    [InlineData("teams", "https://example.com/workflows/abc")]
    [InlineData("teams", "https://hooks.slack.com/services/T0/B0/x")]
    public async Task ChatWebhooksMustUseTheirServicesUrls(string type, string url) =>
        await (await Create(new { name = "chat", type, url })).AssertFieldErrorAsync("url");

    [Theory]
    [InlineData("https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRETSIG", "workflow")]
    [InlineData("https://default0a1b.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=SECRETSIG", "workflow")]
    [InlineData("https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/SECRETSIG/ghi", "connector")]
    public async Task TeamsWebhooksRecordWhichKindOfUrlTheyHave(string url, string flavor)
    {
        var created = await app.CreateApiClient().CreateWebhookAsync(org, url, name: "teams", type: "teams");
        Assert.Equal(flavor, created.Json.GetProperty("teamsFlavor").GetString());
        Assert.DoesNotContain("SECRETSIG", created.Json.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTypeIsRefused() =>
        await (await Create(new { name = "n", type = "carrier-pigeon", url = "https://example.com/h" })).AssertFieldErrorAsync("type");

    [Fact]
    public async Task UnknownEventTypeIsRefusedByPosition()
    {
        var errors = await (await Create(new { name = "n", url = "https://example.com/h", events = new[] { "build_completed", "build_exploded" } }))
            .AssertFieldErrorAsync("events[1]");
        Assert.Contains("build_exploded", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyEventListIsRefused() =>
        await (await Create(new { name = "n", url = "https://example.com/h", events = Array.Empty<string>() })).AssertFieldErrorAsync("events");

    [Fact]
    public async Task AllCannotBeCombinedWithOtherTypes() =>
        await (await Create(new { name = "n", url = "https://example.com/h", events = new[] { "build_failed", "all" } })).AssertFieldErrorAsync("events[1]");

    [Fact]
    public async Task EventListLongerThanTheLimitIsRefused() =>
        await (await Create(new { name = "n", url = "https://example.com/h", events = Enumerable.Repeat("build_failed", 101).ToArray() })).AssertFieldErrorAsync("events");

    [Fact]
    public async Task ProjectFilterTakesIncludeOrExcludeNotBoth() =>
        await (await Create(new { name = "n", url = "https://example.com/h", projects = new { include = new[] { "a" }, exclude = new[] { "b" } } })).AssertFieldErrorAsync("projects");

    [Fact]
    public async Task BlankProjectNamesAreRefused() =>
        await (await Create(new { name = "n", url = "https://example.com/h", projects = new { exclude = new[] { "ok", "  " } } })).AssertFieldErrorAsync("projects.exclude[1]");

    [Fact]
    public async Task ProjectListLongerThanTheLimitIsRefused() =>
        await (await Create(new { name = "n", url = "https://example.com/h", projects = new { include = Enumerable.Range(0, 101).Select(i => $"p{i}").ToArray() } })).AssertFieldErrorAsync("projects.include");

    [Fact]
    public async Task ProjectNamesAreTrimmedAndDeduplicatedIgnoringCase()
    {
        var created = await app.CreateApiClient().CreateWebhookAsync(org, "https://example.com/h", name: "n", projects: new { include = new[] { " My-App ", "my-app", "Other" } });
        var include = created.Json.GetProperty("projects").GetProperty("include").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.Equal<string>(["My-App", "Other"], include);
    }

    [Fact]
    public async Task UnknownFieldsAreRefusedByName() =>
        await (await CreateRaw("""{"name":"n","url":"https://example.com/h","secret":"mine"}""")).AssertFieldErrorAsync("secret");

    [Fact]
    public async Task UnknownNestedFieldsAreRefusedByPath() =>
        await (await CreateRaw("""{"name":"n","url":"https://example.com/h","projects":{"only":["a"]}}""")).AssertFieldErrorAsync("projects.only");

    [Theory]
    [InlineData("{\"name\":\"n\",")]
    [InlineData("{\"name\":\"n\",}")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task MalformedJsonGetsAClearError(string body)
    {
        var response = await CreateRaw(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("errors", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValueOfTheWrongTypeNamesItsField() =>
        await (await CreateRaw("""{"name":42,"url":"https://example.com/h"}""")).AssertFieldErrorAsync("name");

    [Fact]
    public async Task NonJsonContentTypeIsRefusedWith415()
    {
        var response = await CreateRaw("""{"name":"n","url":"https://example.com/h"}""", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OversizedBodiesAreRefusedWith413()
    {
        var response = await CreateRaw($$"""{"name":"n","url":"https://example.com/h","padding":"{{new string('x', 70_000)}}"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("-leading-dash")]
    [InlineData("a%23b")]
    public async Task MalformedOrganizationIdsAreRefused(string orgId)
    {
        var response = await app.CreateApiClient().GetAsync(Routes.Webhooks(orgId));
        await response.AssertFieldErrorAsync("orgId");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("ten")]
    public async Task PageSizeOutsideItsRangeIsRefused(string limit) =>
        await (await app.CreateApiClient().GetAsync($"{Routes.Webhooks(org)}?limit={limit}")).AssertFieldErrorAsync("limit");

    [Fact]
    public async Task ForgedPageTokensAreRefused() =>
        await (await app.CreateApiClient().GetAsync($"{Routes.Webhooks(org)}?pageToken=%25%25%25")).AssertFieldErrorAsync("pageToken");

    [Fact]
    public async Task TheTypeOfAWebhookCannotChange()
    {
        var client = app.CreateApiClient();
        var created = await client.CreateWebhookAsync(org);
        var response = await client.PatchAsJsonAsync(Routes.Webhook(org, created.Id), new { type = "slack" });
        var errors = await response.AssertFieldErrorAsync("type");
        Assert.Contains("delete", errors[0], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UpdatesAreValidatedLikeCreates()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org)).Id;
        await (await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { url = "http://example.com/h" })).AssertFieldErrorAsync("url");
        await (await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { name = " " })).AssertFieldErrorAsync("name");
        await (await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { events = new[] { "nope" } })).AssertFieldErrorAsync("events[0]");
    }

    public void Dispose() => app.Dispose();
}
