using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Webhooks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Tests.Dashboard;

/// <summary>
/// A browser test's world: the standalone host on real Kestrel over Azurite (the page's fetches need a real
/// server), a loopback receiver, Debian's Chromium driven by Playwright, and a fresh organization. Every
/// script error on the page fails the test; screenshots go to TestResults/screenshots under the repository.
/// </summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    /// <summary>Debian's Chromium: Playwright's own browser download needs the internet (scripts/test.sh installs the package).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly List<string> pageErrors = [];
    private readonly ITestOutputHelper output;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    private DashboardBrowser(PipelineApp app, LoopbackReceiver receiver, AzuriteFixture storage, ITestOutputHelper output)
    {
        App = app;
        Receiver = receiver;
        Storage = storage;
        this.output = output;
    }

    public PipelineApp App { get; }

    public LoopbackReceiver Receiver { get; }

    private AzuriteFixture Storage { get; }

    public string Org { get; } = ApiCalls.NewOrganization();

    /// <summary>The host's address, e.g. http://127.0.0.1:5123 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public HttpClient Api { get; private set; } = null!;

    public IPage Page { get; private set; } = null!;

    public static string ScreenshotFolder => Path.Combine(Standalone.LocalDevelopment.RepositoryRoot.Find(), "TestResults", "screenshots");

    public static async Task<DashboardBrowser> StartAsync(AzuriteFixture storage, ITestOutputHelper output, params (string Key, string? Value)[] settings)
    {
        var receiver = await LoopbackReceiver.StartAsync();
        var app = new PipelineApp(storage, settings: DeliveryTestSettings.With(settings), realClock: true);
        app.UseKestrel(0);
        app.StartServer();
        var world = new DashboardBrowser(app, receiver, storage, output);
        world.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        world.Api = new HttpClient { BaseAddress = new Uri(world.BaseUrl) };
        world.Api.DefaultRequestHeaders.Add("X-Api-Key", PipelineApp.ApiKey);
        world.playwright = await Playwright.CreateAsync();
        world.browser = await world.playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Args = ["--no-sandbox"] });
        await world.NewPageAsync();
        return world;
    }

    /// <summary>A fresh tab (its own session storage) at desktop size, light, unless told otherwise.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, ColorScheme = scheme });
        Page = await context.NewPageAsync();
        Page.PageError += (_, error) => pageErrors.Add(error);
        Page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("the server responded with a status of", StringComparison.Ordinal))
            {
                pageErrors.Add(message.Text);
            }
        };
        Page.SetDefaultTimeout(15_000);
        return Page;
    }

    /// <summary>Opens the operator page and signs in with the API key.</summary>
    public async Task SignInAsync(string path = "/")
    {
        await Page.GotoAsync(BaseUrl + path);
        await Page.GetByLabel("API key").FillAsync(PipelineApp.ApiKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.GetByRole(AriaRole.Heading, new() { Name = "Organizations", Level = 2 }).WaitForAsync();
    }

    /// <summary>Opens this world's organization by id.</summary>
    public async Task OpenOrganizationAsync()
    {
        await Page.GetByLabel("Organization id").FillAsync(Org);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Open organization" }).ClickAsync();
        await Page.GetByRole(AriaRole.Heading, new() { Name = $"Webhooks of {Org}" }).WaitForAsync();
    }

    /// <summary>Creates a webhook pointing at the receiver through the API; returns its id.</summary>
    public async Task<string> CreateWebhookAsync(string name = "receiver")
    {
        var created = await Api.CreateWebhookAsync(Org, Receiver.Url.ToString(), name: name);
        return created.Id;
    }

    /// <summary>The webhook as the API shows it now.</summary>
    public async Task<System.Text.Json.JsonElement> WebhookJsonAsync(string webhookId) =>
        await (await Api.GetAsync(Routes.Webhook(Org, webhookId))).ReadJsonAsync();

    public Task<string> PublishAsync(JsonObject envelope) => EventProducer.PublishAsync(Storage, App.EventsQueue, envelope);

    /// <summary>Writes a screenshot of the whole page as <paramref name="name"/>.png and prints where.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>Runs axe-core on the page as it is now; fails on any serious or critical violation.</summary>
    public async Task AssertAccessibleAsync(string screen)
    {
        var result = await Page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(bad.Count == 0, $"{screen}: {bad.Count} serious or critical accessibility violations:\n{string.Join("\n", bad)}");
    }

    /// <summary>Screenshot and accessibility scan of one screen.</summary>
    public async Task CheckScreenAsync(string name)
    {
        await ScreenshotAsync(name);
        await AssertAccessibleAsync(name);
        await AssertNoEmptyValueShownAsync(name);
    }

    /// <summary>
    /// A value the page meant to leave out must not be printed as "null" or "undefined" (a missing banner once
    /// was); JSON shown in code blocks may hold a null, so those are not read.
    /// </summary>
    private async Task AssertNoEmptyValueShownAsync(string name)
    {
        var shown = await Page.EvaluateAsync<string[]>("""
            () => {
              const found = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const text = node.textContent.trim();
                if ((text === 'null' || text === 'undefined') && !node.parentElement.closest('pre, code')) found.push(node.parentElement.outerHTML.slice(0, 200));
              }
              return found;
            }
            """);
        Assert.True(shown.Length == 0, $"{name} prints an absent value: {string.Join(" | ", shown)}");
    }

    public void AssertNoScriptErrors() =>
        Assert.True(pageErrors.Count == 0, "script errors on the page:\n" + string.Join("\n", pageErrors));

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        Api.Dispose();
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
