using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using Webhooks.Api;
using Webhooks.Secrets;
using Webhooks.Tests.Portal;
using Webhooks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Tests.Dashboard;

/// <summary>
/// The customer portal in a real browser: a session made with POST /api/orgs/{orgId}/portal-sessions opens
/// /portal#token=…, sees and manages only its organization, shows no change control when read-only, and says
/// so when its token is no longer good.
/// </summary>
[Collection(DashboardStorageTests.Name)]
[Trait("Category", "Slow")]
public sealed class PortalBrowserTests(AzuriteFixture storage, ITestOutputHelper output)
{
    [Fact]
    public async Task APortalSessionSeesAndManagesOnlyItsOrganization()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        await b.CreateWebhookAsync("ours");
        var other = ApiCalls.NewOrganization();
        await b.Api.CreateWebhookAsync(other, b.Receiver.Url.ToString(), name: "theirs");
        var token = await SessionTokenAsync(b, b.Org, "manage");

        await b.Page.GotoAsync($"{b.BaseUrl}/portal#token={token}");
        await b.Page.GetByRole(AriaRole.Heading, new() { Name = $"Webhooks of {b.Org}" }).WaitForAsync();
        // The token leaves the address bar (and so the history and any copy of the link) at once.
        Assert.DoesNotContain(token, b.Page.Url, StringComparison.Ordinal);
        await Assertions.Expect(b.Page.GetByText("ours")).ToBeVisibleAsync();
        Assert.Equal(0, await b.Page.GetByText("theirs").CountAsync());
        Assert.Equal(0, await b.Page.GetByLabel("API key").CountAsync());
        Assert.Equal(0, await b.Page.GetByLabel("Organization id").CountAsync());
        await b.CheckScreenAsync("portal-list");

        // Another organization's address leads back to the session's own.
        await b.Page.GotoAsync($"{b.BaseUrl}/portal#/orgs/{other}");
        await b.Page.GetByRole(AriaRole.Heading, new() { Name = $"Webhooks of {b.Org}" }).WaitForAsync();
        Assert.Equal(0, await b.Page.GetByText("theirs").CountAsync());

        await b.Page.GetByRole(AriaRole.Link, new() { Name = "New webhook" }).ClickAsync();
        await b.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("made in the portal");
        await b.Page.GetByLabel("URL", new() { Exact = true }).FillAsync(b.Receiver.Url.ToString());
        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        await b.Page.GetByRole(AriaRole.Dialog).WaitForAsync();
        var list = await (await b.Api.GetAsync(Routes.Webhooks(b.Org))).ReadJsonAsync();
        Assert.Contains(list.GetProperty("data").EnumerateArray(), w => w.GetProperty("name").GetString() == "made in the portal");

        // The page's token reaches no other organization through the API either.
        using var direct = new HttpClient { BaseAddress = new Uri(b.BaseUrl) };
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NotFound, (await direct.GetAsync($"/api/portal/orgs/{other}/webhooks")).StatusCode);
        b.AssertNoScriptErrors();
    }

    [Fact]
    public async Task AReadOnlySessionShowsNoChangeControl()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        var webhook = await b.CreateWebhookAsync("watched");
        var token = await SessionTokenAsync(b, b.Org, "read");

        await b.Page.GotoAsync($"{b.BaseUrl}/portal#token={token}");
        await b.Page.GetByRole(AriaRole.Heading, new() { Name = $"Webhooks of {b.Org}" }).WaitForAsync();
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Link, new() { Name = "New webhook" })).ToBeHiddenAsync();
        await b.Page.GotoAsync($"{b.BaseUrl}/portal#/orgs/{b.Org}/webhooks/{webhook}");
        await b.Page.GetByRole(AriaRole.Heading, new() { Name = "watched", Level = 2 }).WaitForAsync();
        foreach (var control in new[] { "Edit", "Disable", "Delete", "Send test event", "Regenerate secret", "Recover failed deliveries" })
        {
            await Assertions.Expect(b.Page.GetByRole(AriaRole.Button, new() { Name = control, Exact = true })).ToBeHiddenAsync();
        }
        await b.CheckScreenAsync("portal-read-only");

        using var direct = new HttpClient { BaseAddress = new Uri(b.BaseUrl) };
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await direct.DeleteAsync($"/api/portal/orgs/{b.Org}/webhooks/{webhook}")).StatusCode);
        b.AssertNoScriptErrors();
    }

    [Fact]
    public async Task ASessionWhoseTokenIsRefusedSaysItExpired()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        var token = await SessionTokenAsync(b, b.Org, "manage");
        var tampered = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        await b.Page.GotoAsync($"{b.BaseUrl}/portal#token={tampered}");

        await b.Page.GetByRole(AriaRole.Heading, new() { Name = "Session expired" }).WaitForAsync();
        await b.CheckScreenAsync("portal-expired");
        b.AssertNoScriptErrors();
    }

    [Fact]
    public async Task ASessionThatExpiresWhileOpenSaysSoAtTheNextCall()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        await b.CreateWebhookAsync("kept");
        // A session token's shortest lifetime is a minute: sign one of seconds with the ring's own current key instead.
        var kid = new JsonWebToken(await SessionTokenAsync(b, b.Org, "read")).Kid;
        var key = await b.App.Services.GetRequiredService<ISecretStore>().GetAsync(PortalKeyRing.SecretName, kid, CancellationToken.None);
        var expiresIn = TimeSpan.FromSeconds(8);
        var token = PortalTestTokens.Sign(Convert.FromBase64String(key!), kid, b.Org, "read", DateTimeOffset.UtcNow, expiresIn);

        await b.Page.GotoAsync($"{b.BaseUrl}/portal#token={token}");
        await b.Page.GetByRole(AriaRole.Heading, new() { Name = $"Webhooks of {b.Org}" }).WaitForAsync();
        await Assertions.Expect(b.Page.Locator("tbody tr")).ToHaveCountAsync(1);

        // Past the expiry and the verifier's few seconds of clock skew, the next call is refused and the page says why.
        await Task.Delay(expiresIn + TimeSpan.FromSeconds(7));
        await b.Page.GetByRole(AriaRole.Link, new() { Name = "kept" }).ClickAsync();
        await b.Page.GetByRole(AriaRole.Heading, new() { Name = "Session expired" }).WaitForAsync();
        b.AssertNoScriptErrors();
    }

    private static async Task<string> SessionTokenAsync(DashboardBrowser b, string org, string permission)
    {
        var response = await b.Api.PostAsJsonAsync($"/api/orgs/{org}/portal-sessions", new { permission, lifetimeMinutes = 10 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"portal session: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.ReadJsonAsync()).GetProperty("token").GetString()!;
    }
}
