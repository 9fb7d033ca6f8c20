using Webhooks.Api;
using Webhooks.Dashboard;
using Webhooks.Tests.FunctionsHttp;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Dashboard;

/// <summary>
/// Both hosts serve the same page files: the standalone host at / and /portal, the Functions app at
/// /api/dashboard/ and /api/dashboard/portal, with content types, revalidation, the page's security headers,
/// and a 404 for anything that is not one of its files.
/// </summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class DashboardServingTests(AzuriteFixture storage)
{
    private const string Parent = "https://app.example.com";

    private static ParityWorld World(AzuriteFixture storage) =>
        new(new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Portal:FrameAncestors:0"] = Parent, ["Webhooks:Driver:Enabled"] = "false" }));

    [Theory]
    [InlineData("/", "/api/dashboard/", "'none'")]
    [InlineData("/portal", "/api/dashboard/portal", "'self' " + Parent)]
    public async Task BothHostsServeThePageWithItsSecurityHeadersAndNoCaching(string standalonePath, string functionsPath, string frameAncestors)
    {
        await using var world = World(storage);

        foreach (var answer in new[] { await world.Standalone.SendAsync(ApiRequest.Get(standalonePath)), await world.Functions.SendAsync(ApiRequest.Get(functionsPath)) })
        {
            Assert.Equal(200, answer.Status);
            Assert.Equal("text/html; charset=utf-8", answer.ContentType);
            Assert.Contains("<script type=\"module\" src=\"assets/app.js\">", answer.Body, StringComparison.Ordinal);
            Assert.Equal("no-cache", answer.Headers["Cache-Control"]);
            Assert.EndsWith($"frame-ancestors {frameAncestors}", answer.Headers["Content-Security-Policy"], StringComparison.Ordinal);
            Assert.Contains("script-src 'self';", answer.Headers["Content-Security-Policy"], StringComparison.Ordinal);
            Assert.Equal("nosniff", answer.Headers["X-Content-Type-Options"]);
            Assert.Equal("no-referrer", answer.Headers["Referrer-Policy"]);
        }
    }

    [Fact]
    public async Task BothHostsServeEveryAssetWithItsContentType()
    {
        await using var world = World(storage);
        var assets = new DashboardFiles().Paths.Where(p => p.StartsWith("assets/", StringComparison.Ordinal)).ToList();
        var expected = new Dictionary<string, string> { [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8" };

        Assert.Contains("assets/app.js", assets);
        foreach (var asset in assets)
        {
            var standalone = await world.Standalone.SendAsync(ApiRequest.Get("/" + asset));
            var functions = await world.Functions.SendAsync(ApiRequest.Get("/api/dashboard/" + asset));
            foreach (var answer in new[] { standalone, functions })
            {
                Assert.True(answer.Status == 200, $"{asset}: {answer}");
                Assert.Equal(expected[Path.GetExtension(asset)], answer.ContentType);
                Assert.Equal("nosniff", answer.Headers["X-Content-Type-Options"]);
            }
            Assert.Equal(standalone.Body, functions.Body);
        }
    }

    [Theory]
    [InlineData("assets/missing.js")]
    [InlineData("assets/%2e%2e/%2e%2e/appsettings.json")]
    [InlineData("assets/..%2f..%2fWebhooks.Pipeline.dll")]
    [InlineData("assets/%2fetc%2fpasswd")]
    [InlineData("assets/")]
    [InlineData("index.html/")]
    [InlineData("portal/x")]
    public async Task AnythingButThePagesFilesIsNotFoundOnBothHosts(string path)
    {
        await using var world = World(storage);

        Assert.Equal(404, (await world.Standalone.SendAsync(ApiRequest.Get("/" + path))).Status);
        Assert.Equal(404, (await world.Functions.SendAsync(ApiRequest.Get("/api/dashboard/" + path))).Status);
    }

    [Fact]
    public async Task AnUnchangedFileIsAnsweredNotModified()
    {
        await using var world = World(storage);
        var first = await world.Standalone.SendAsync(ApiRequest.Get("/assets/app.js"));

        var again = await world.Standalone.SendAsync(ApiRequest.Get("/assets/app.js").WithHeader("If-None-Match", first.ETag!));
        var functions = await world.Functions.SendAsync(ApiRequest.Get("/api/dashboard/assets/app.js").WithHeader("If-None-Match", first.ETag!));

        Assert.Equal(304, again.Status);
        Assert.Equal(304, functions.Status);
        Assert.Empty(again.Body);
    }

    [Fact]
    public async Task TheFunctionsPageWithoutItsTrailingSlashRedirectsToIt()
    {
        await using var world = World(storage);

        var answer = await world.Functions.SendAsync(ApiRequest.Get("/api/dashboard"));

        Assert.Equal(302, answer.Status);
        Assert.Equal("/api/dashboard/", answer.Location);
    }

    [Fact]
    public async Task ThePortalWithATrailingSlashRedirectsToItsAddressOnBothHosts()
    {
        await using var world = World(storage);

        using var standaloneClient = world.App.CreateClient(new() { AllowAutoRedirect = false });
        var standalone = await standaloneClient.GetAsync("/portal/");
        var functions = await world.Functions.SendAsync(ApiRequest.Get("/api/dashboard/portal/"));

        // From /portal/ the page's relative assets would be looked for under /portal/assets/ and not found.
        Assert.Equal((302, "/portal"), ((int)standalone.StatusCode, standalone.Headers.Location?.OriginalString));
        Assert.Equal((302, "/api/dashboard/portal"), (functions.Status, functions.Location));
    }
}
