using Webhooks.Tests.FunctionsHttp;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Portal;

/// <summary><c>POST /api/orgs/{orgId}/portal-sessions</c>: operators only, a validated body, a link with the token in its fragment.</summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class PortalSessionTests(AzuriteFixture storage)
{
    [Fact]
    public async Task ASessionIsReadOnlyForTheConfiguredLifetimeUnlessAskedOtherwise()
    {
        await using var w = new PortalWorld(storage);
        var request = new ApiRequest("POST", PortalWorld.Sessions(w.Org));

        var standalone = await w.Operator.SendAsync(request);
        var functions = await w.Functions.SendAsync(request);

        HostParity.AssertSameShape(request, standalone, functions, "url", "token");
        Assert.Equal(201, standalone.Status);
        Assert.Equal("read", standalone.Text("permission"));
        Assert.Equal(w.Org, standalone.Text("organizationId"));
        var expires = DateTimeOffset.Parse(standalone.Text("expiresAt")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - w.App.Clock.GetUtcNow(), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
        Assert.Equal($"http://localhost/portal#token={standalone.Text("token")}", standalone.Text("url"));
        Assert.Equal($"http://localhost/api/dashboard/portal#token={functions.Text("token")}", functions.Text("url"));

        var asked = ApiRequest.Json("POST", PortalWorld.Sessions(w.Org), new { permission = "manage", lifetimeMinutes = 10 });
        var manage = await w.Operator.SendAsync(asked);
        HostParity.AssertSameShape(asked, manage, await w.Functions.SendAsync(asked), "url", "token");
        Assert.Equal("manage", manage.Text("permission"));
        Assert.Equal(w.App.Clock.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds(),
            DateTimeOffset.Parse(manage.Text("expiresAt")!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task TheLinkUsesThePublicUrlWhenOneIsSet()
    {
        await using var w = new PortalWorld(storage, new Dictionary<string, string?> { ["Webhooks:Portal:PublicUrl"] = "https://webhooks.example.com/" });

        var created = await w.Operator.SendAsync(ApiRequest.Json("POST", PortalWorld.Sessions(w.Org), new { }));

        Assert.Equal($"https://webhooks.example.com/portal#token={created.Text("token")}", created.Text("url"));
    }

    [Fact]
    public void InvalidPortalSettingsStopTheHostAtStart()
    {
        // The validation the host runs at start (see DashboardOptionsTests for why not through a failing WebApplicationFactory).
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ConfiguredOptions.ValidateAtStart(("Webhooks:Portal:FrameAncestors:0", "https://app.example.com/embed")));

        Assert.Contains("FrameAncestors", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"permission":"admin"}""", "permission")]
    [InlineData("""{"permission":"READ"}""", "permission")]
    [InlineData("""{"lifetimeMinutes":0}""", "lifetimeMinutes")]
    [InlineData("""{"lifetimeMinutes":61}""", "lifetimeMinutes")]
    [InlineData("""{"lifetimeMinutes":"ten"}""", "lifetimeMinutes")]
    [InlineData("""{"organization":"other"}""", "organization")]
    public async Task AnInvalidSessionRequestNamesItsField(string body, string field)
    {
        await using var w = new PortalWorld(storage);
        var request = ApiRequest.Json("POST", PortalWorld.Sessions(w.Org), body);

        var answer = await HostParity.AssertBothAnswerAlikeAsync(w.Operator, w.Functions, request);

        Assert.Equal(400, answer.Status);
        Assert.NotNull(answer.Json!["errors"]![field]);
    }

    [Fact]
    public async Task AnInvalidOrganizationIdIsRefusedAsInTheOtherRoutes()
    {
        await using var w = new PortalWorld(storage);
        var request = ApiRequest.Json("POST", PortalWorld.Sessions("bad.org"), new { });

        var answer = await HostParity.AssertBothAnswerAlikeAsync(w.Operator, w.Functions, request);

        Assert.Equal(400, answer.Status);
        Assert.NotNull(answer.Json!["errors"]!["orgId"]);
    }

    [Fact]
    public async Task OnlyOperatorsCreateSessionsOrRotateTheKey()
    {
        await using var w = new PortalWorld(storage);
        var token = await w.SessionAsync(w.Org, "manage");
        var create = ApiRequest.Json("POST", PortalWorld.Sessions(w.Org), new { permission = "manage" });
        var rotate = ApiRequest.Post("/api/portal-keys/rotate");

        foreach (var request in new[] { create, rotate })
        {
            var anonymous = await w.Anonymous.SendAsync(request);
            var withToken = await w.Anonymous.SendAsync(request.WithHeader("Authorization", "Bearer " + token));

            Assert.True(anonymous.Status == 401, $"{request} without a key: {anonymous}");
            Assert.True(withToken.Status == 401, $"{request} with a portal token: {withToken}");
            Assert.Equal("application/problem+json", withToken.ContentType);
            Assert.Contains("X-Api-Key", withToken.Text("detail"), StringComparison.Ordinal);
        }
        // In the Functions app the same two are behind a function key, unlike the portal's own routes.
        Assert.All(FunctionsHttpHost.Functions.Where(f => f.Name is "CreatePortalSession" or "RotatePortalKey"),
            f => Assert.Equal(Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function, f.AuthLevel));
        Assert.Equal(2, FunctionsHttpHost.Functions.Count(f => f.Name is "CreatePortalSession" or "RotatePortalKey"));
    }
}
