using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using Webhooks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Tests.Dashboard;

/// <summary>The operator dashboard in a real browser against the real standalone host: every change made by clicking, every result read off the page.</summary>
[Collection(DashboardStorageTests.Name)]
[Trait("Category", "Slow")]
public sealed class DashboardBrowserTests(AzuriteFixture storage, ITestOutputHelper output)
{
    private const string SlackUrl = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX";
    private const string TeamsUrl = "https://default123.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke";
    private const string DiscordUrl = "https://discord.com/api/webhooks/123/abc";

    [Fact]
    public async Task EachWebhookTypeIsCreatedThroughTheFormAndAGenericOnesSecretIsShownOnce()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        await b.SignInAsync();
        await b.OpenOrganizationAsync();

        await CreateThroughFormAsync(b, "builds", "generic", b.Receiver.Url.ToString());
        var dialog = b.Page.GetByRole(AriaRole.Dialog);
        await dialog.WaitForAsync();
        var secret = await dialog.Locator("code.secret").TextContentAsync();
        Assert.Matches("^whsec_", secret);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "I have stored it" }).ClickAsync();
        await b.Page.ReloadAsync();
        await b.Page.GetByRole(AriaRole.Heading, new() { Name = "builds", Level = 2 }).WaitForAsync();
        Assert.DoesNotContain(secret!, await b.Page.ContentAsync(), StringComparison.Ordinal);

        foreach (var (type, url) in new[] { ("slack", SlackUrl), ("teams", TeamsUrl), ("discord", DiscordUrl) })
        {
            await b.Page.GotoAsync($"{b.BaseUrl}/#/orgs/{b.Org}");
            await CreateThroughFormAsync(b, $"{type} channel", type, url);
            // Chat webhooks are not signed: no secret to show.
            await b.Page.GetByRole(AriaRole.Heading, new() { Name = $"{type} channel", Level = 2 }).WaitForAsync();
            Assert.Equal(0, await b.Page.GetByRole(AriaRole.Dialog).CountAsync());
            await Assertions.Expect(b.Page.GetByText("deliveries are not signed")).ToBeVisibleAsync();
        }

        await b.Page.GotoAsync($"{b.BaseUrl}/#/orgs/{b.Org}");
        var rows = b.Page.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        foreach (var type in new[] { "generic", "slack", "teams", "discord" })
        {
            await Assertions.Expect(b.Page.Locator($"tbody .badge.{type}")).ToHaveCountAsync(1);
        }
        // Chat URLs carry their token: the list shows them masked, as the API does.
        Assert.DoesNotContain("XXXXXXXXXXXXXXXX", await b.Page.Locator("tbody").TextContentAsync(), StringComparison.Ordinal);
        await b.CheckScreenAsync("webhook-list");
        b.AssertNoScriptErrors();
    }

    [Fact]
    public async Task ADeliveredEventShowsInTheHistoryWithItsAttemptAndCanBeResent()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        var webhook = await b.CreateWebhookAsync("orders");
        b.Receiver.Respond = context =>
        {
            context.Response.StatusCode = 200;
            context.Response.Headers["X-Receiver"] = "loopback";
            return context.Response.WriteAsync("""{"thanks":true}""");
        };
        await b.PublishAsync(TestEvents.Envelope(b.Org, "build_completed"));
        await Eventually.HoldsAsync(() => Task.FromResult(!b.Receiver.Received.IsEmpty), "the delivery to arrive");

        await b.SignInAsync();
        await b.Page.GotoAsync($"{b.BaseUrl}/#/orgs/{b.Org}/webhooks/{webhook}");
        var history = b.Page.GetByRole(AriaRole.Region, new() { Name = "Deliveries" });
        await Assertions.Expect(history.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(history.Locator("tbody tr").First).ToContainTextAsync("build_completed");
        await Assertions.Expect(history.Locator("tbody tr").First).ToContainTextAsync("succeeded");
        await Assertions.Expect(history.Locator("tbody tr").First).ToContainTextAsync("200");
        // The hour of that delivery has a point on each response-time line.
        foreach (var percentile in new[] { "p50", "p90", "p99" })
        {
            await Assertions.Expect(b.Page.Locator($"svg.response-times circle.{percentile}")).ToHaveCountAsync(1);
        }
        await b.CheckScreenAsync("webhook-detail-history");

        await history.GetByRole(AriaRole.Button, new() { Name = "Details" }).ClickAsync();
        var dialog = b.Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Attempt 1" })).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("webhook-signature");
        await Assertions.Expect(dialog).ToContainTextAsync("X-Receiver");
        await Assertions.Expect(dialog).ToContainTextAsync("\"thanks\": true");
        await b.CheckScreenAsync("attempt-detail");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Resend" }).ClickAsync();
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("sent again");
        await Eventually.HoldsAsync(() => Task.FromResult(b.Receiver.Received.Count >= 2), "the resent delivery to arrive");
        b.AssertNoScriptErrors();
    }

    [Fact]
    public async Task TogglingRegeneratingAndDeletingWorkFromTheWebhooksPage()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        var webhook = await b.CreateWebhookAsync("toggled");
        await b.SignInAsync();
        await b.Page.GotoAsync($"{b.BaseUrl}/#/orgs/{b.Org}/webhooks/{webhook}");

        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        var banner = b.Page.GetByRole(AriaRole.Region, new() { Name = "Disabled" });
        await Assertions.Expect(banner).ToBeVisibleAsync();
        Assert.False((await b.WebhookJsonAsync(webhook)).GetProperty("enabled").GetBoolean());
        await b.CheckScreenAsync("webhook-disabled");
        await banner.GetByRole(AriaRole.Button, new() { Name = "Re-enable" }).ClickAsync();
        await Assertions.Expect(banner).ToHaveCountAsync(0);
        Assert.True((await b.WebhookJsonAsync(webhook)).GetProperty("enabled").GetBoolean());

        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Regenerate secret" }).ClickAsync();
        var dialog = b.Page.GetByRole(AriaRole.Dialog);
        Assert.Matches("^whsec_", await dialog.Locator("code.secret").TextContentAsync());
        await b.CheckScreenAsync("secret-shown");
        await b.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var confirm = b.Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(confirm).ToContainTextAsync("delivery history");
        await b.CheckScreenAsync("delete-confirmation");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete webhook and history" }).ClickAsync();
        await b.Page.GetByRole(AriaRole.Heading, new() { Name = $"Webhooks of {b.Org}" }).WaitForAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await b.Api.GetAsync(Routes.Webhook(b.Org, webhook))).StatusCode);
        b.AssertNoScriptErrors();
    }

    [Fact]
    public async Task AnApiErrorIsShownNextToItsField()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        await b.SignInAsync();
        await b.OpenOrganizationAsync();
        await b.Page.GetByRole(AriaRole.Link, new() { Name = "New webhook" }).ClickAsync();
        await b.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("plain http");
        await b.Page.GetByLabel("URL", new() { Exact = true }).FillAsync("http://example.com/hook");
        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();

        var url = b.Page.GetByLabel("URL", new() { Exact = true });
        await Assertions.Expect(url).ToHaveAttributeAsync("aria-invalid", "true");
        var message = b.Page.Locator("[data-field=url] .field-error");
        await Assertions.Expect(message).ToContainTextAsync("HTTPS", new() { IgnoreCase = true });
        // The message is tied to its field for screen readers, not only placed beside it.
        var describedBy = await url.GetAttributeAsync("aria-describedby");
        Assert.Contains(await message.GetAttributeAsync("id") ?? "-", describedBy ?? "", StringComparison.Ordinal);
        await b.CheckScreenAsync("form-field-error");
        b.AssertNoScriptErrors();
    }

    [Fact]
    public async Task EveryScreenPassesTheAccessibilityScanInLightDarkAndAtPhoneWidth()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        var webhook = await b.CreateWebhookAsync("scanned");
        await b.PublishAsync(TestEvents.Envelope(b.Org, "build_completed"));
        await Eventually.HoldsAsync(() => Task.FromResult(!b.Receiver.Received.IsEmpty), "the delivery to arrive");

        foreach (var (suffix, width, scheme) in new[] { ("light", 1280, ColorScheme.Light), ("dark", 1280, ColorScheme.Dark), ("phone", 390, ColorScheme.Light) })
        {
            await b.NewPageAsync(width, 844, scheme);
            await b.Page.GotoAsync(b.BaseUrl + "/");
            await b.Page.GetByLabel("API key").WaitForAsync();
            await b.CheckScreenAsync($"sign-in-{suffix}");
            await b.SignInAsync();
            await b.CheckScreenAsync($"organizations-{suffix}");
            await b.Page.GotoAsync($"{b.BaseUrl}/#/orgs/{b.Org}");
            await b.Page.Locator("tbody tr").First.WaitForAsync();
            await b.CheckScreenAsync($"list-{suffix}");
            await b.Page.GotoAsync($"{b.BaseUrl}/#/orgs/{b.Org}/new");
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).WaitForAsync();
            await b.CheckScreenAsync($"form-{suffix}");
            await b.Page.GotoAsync($"{b.BaseUrl}/#/orgs/{b.Org}/webhooks/{webhook}");
            await b.Page.GetByRole(AriaRole.Region, new() { Name = "Deliveries" }).Locator("tbody tr").First.WaitForAsync();
            await b.CheckScreenAsync($"webhook-{suffix}");
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Details" }).First.ClickAsync();
            await b.Page.GetByRole(AriaRole.Dialog).WaitForAsync();
            await b.CheckScreenAsync($"attempt-{suffix}");
            await b.Page.Keyboard.PressAsync("Escape");
            await b.Page.GotoAsync($"{b.BaseUrl}/#/catalogue");
            await b.Page.GetByRole(AriaRole.Heading, new() { Name = "Event catalogue" }).WaitForAsync();
            await b.CheckScreenAsync($"catalogue-{suffix}");
        }
        b.AssertNoScriptErrors();
    }

    [Fact]
    public async Task SigningOutForgetsTheKey()
    {
        await using var b = await DashboardBrowser.StartAsync(storage, output);
        await b.SignInAsync();

        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await b.Page.ReloadAsync();

        await Assertions.Expect(b.Page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Equal("null", await b.Page.EvaluateAsync<string>("() => String(sessionStorage.getItem('webhooks.apiKey'))"));
        b.AssertNoScriptErrors();
    }

    private static async Task CreateThroughFormAsync(DashboardBrowser b, string name, string type, string url)
    {
        await b.Page.GetByRole(AriaRole.Link, new() { Name = "New webhook" }).ClickAsync();
        await b.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await b.Page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync(type);
        await Assertions.Expect(b.Page.Locator("[data-field=type] .hint[aria-live]")).ToContainTextAsync(type == "generic" ? "HTTPS" : type, new() { IgnoreCase = true });
        await b.Page.GetByLabel("URL", new() { Exact = true }).FillAsync(url);
        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
    }
}
