using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Webhooks.Testing;
using Webhooks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Tests.Dashboard;

/// <summary>
/// The issue's "done when", as a newcomer lives it: the host started as the README's first command starts it
/// (Development, embedded Azurite), its printed dashboard URL opened in Chromium, the printed key pasted, a
/// webhook created through the form pointing at the printed sample receiver, a test event sent, and the
/// delivery seen arriving in the receiver and succeeding in the history. No curl, no receiver of one's own.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class NewcomerWalkthroughTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ANewcomerOpensThePrintedUrlCreatesAWebhookAndWatchesADeliveryArrive()
    {
        var data = Directory.CreateTempSubdirectory("newcomer-azurite-");
        await using var host = HostProcess.Start(new Dictionary<string, string> { ["Webhooks:LocalDevelopment:DataFolder"] = data.FullName }, environment: "Development");
        try
        {
            await Eventually.HoldsAsync(() => Banner().IsMatch(host.Output), "the start-up banner", timeout: TimeSpan.FromMinutes(2), details: () => host.Output);
            var banner = Banner().Match(host.Output);
            var (dashboard, receiver, key) = (banner.Groups["dashboard"].Value, banner.Groups["receiver"].Value, banner.Groups["key"].Value);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = DashboardBrowser.ChromiumPath, Args = ["--no-sandbox"] });
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(20_000);
            await page.GotoAsync(dashboard);
            await page.GetByLabel("API key").FillAsync(key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.GetByLabel("Organization id").FillAsync("acme");
            await page.GetByRole(AriaRole.Button, new() { Name = "Open organization" }).ClickAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "New webhook" }).ClickAsync();
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("My first webhook");
            await page.GetByLabel("URL", new() { Exact = true }).FillAsync(receiver);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "I have stored it" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "My first webhook", Level = 2 }).WaitForAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
            var history = page.GetByRole(AriaRole.Region, new() { Name = "Deliveries" });
            // The history refreshes on its own after a test event; the button is the newcomer's way to look again.
            await Eventually.HoldsAsync(async () =>
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
                return (await history.Locator("tbody").TextContentAsync() ?? "").Contains("succeeded", StringComparison.Ordinal);
            }, "the test delivery to succeed in the history", timeout: TimeSpan.FromMinutes(1), details: () => host.Output);
            await Assertions.Expect(history.Locator("tbody tr").First).ToContainTextAsync("webhook.test");
            await Assertions.Expect(history.Locator("tbody tr").First).ToContainTextAsync("200");
            Assert.Contains("Sample receiver got delivery dlv_", host.Output, StringComparison.Ordinal);

            Directory.CreateDirectory(DashboardBrowser.ScreenshotFolder);
            var shot = Path.Combine(DashboardBrowser.ScreenshotFolder, "newcomer-first-delivery.png");
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
            output.WriteLine($"screenshot: {shot}");
        }
        finally
        {
            await host.KillAsync();
            data.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"Dashboard: (?<dashboard>http://\S+/)\s.*?Receiver:\s+(?<receiver>http://\S+)\s.*?API key:\s+(?<key>\S+)", RegexOptions.Singleline)]
    private static partial Regex Banner();
}
