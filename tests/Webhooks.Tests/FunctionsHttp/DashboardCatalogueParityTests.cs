using System.Text;
using System.Text.Json;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Standalone.LocalDevelopment;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>What the dashboard reads beside a webhook, the same from both hosts: the organizations, the event catalogue with its samples, and the event schema.</summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class DashboardCatalogueParityTests(AzuriteFixture storage)
{
    [Fact]
    public async Task OrganizationsAreListedInIdOrderAndPagesWithTheirWebhookCounts()
    {
        // A webhooks table of its own, so the listing holds this test's organizations only.
        var table = "wh" + Guid.NewGuid().ToString("N")[..12];
        await using var w = new ParityWorld(new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Storage:WebhooksTable"] = table }));
        await w.Standalone.CreateWebhookAsync("org-b");
        await w.Standalone.CreateWebhookAsync("org-b");
        await w.Standalone.CreateWebhookAsync("org-a");
        var gone = await w.Standalone.CreateWebhookAsync("org-c");
        Assert.True((await w.Standalone.DeleteAsync(Routes.Webhook("org-c", gone.Id))).IsSuccessStatusCode);

        var first = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get(Routes.Organizations + "?limit=2"));
        var token = first.Text("nextPageToken");
        Assert.NotNull(token);
        var second = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get(Routes.Organizations + "?limit=2&pageToken=" + Uri.EscapeDataString(token)));
        var all = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get(Routes.Organizations));

        Assert.Equal([("org-a", 1), ("org-b", 2)], Organizations(first));
        Assert.Equal([("org-c", 0)], Organizations(second));
        Assert.Null(second.Text("nextPageToken"));
        Assert.Equal([("org-a", 1), ("org-b", 2), ("org-c", 0)], Organizations(all));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=201", "limit")]
    [InlineData("?pageToken=bm90IG91cnM", "pageToken")]
    public async Task ABadOrganizationListingParameterIsTheSame400NamingIt(string query, string field)
    {
        await using var w = new ParityWorld(new PipelineApp(storage));
        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get(Routes.Organizations + query));

        Assert.Equal(400, answer.Status);
        Assert.NotNull(answer.Json!["errors"]![field]);
    }

    [Fact]
    public async Task EveryEventTypeHasASampleThatTheReaderAndTheSchemaAccept()
    {
        await using var w = new ParityWorld(new PipelineApp(storage));
        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get(Routes.EventTypes));
        var reader = w.App.Services.GetRequiredService<EventEnvelopeReader>();
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "schemas", "webhook-event.schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() });

        var types = answer.Json!["data"]!.AsArray();
        Assert.Equal(w.App.Services.GetRequiredService<EventTypeCatalog>().Types.Select(t => t.Name), types.Select(t => t!["name"]!.GetValue<string>()));
        foreach (var type in types)
        {
            var name = type!["name"]!.GetValue<string>();
            var sample = Encoding.UTF8.GetBytes(type["sample"]!.ToJsonString());
            var read = reader.Read(sample);
            Assert.Equal(name, read.Type);
            using var document = JsonDocument.Parse(sample);
            var verdict = schema.Evaluate(document.RootElement, new EvaluationOptions { RequireFormatValidation = true, OutputFormat = OutputFormat.List });
            Assert.True(verdict.IsValid, $"{name}: the schema refuses its sample {type["sample"]!.ToJsonString()}");
        }
    }

    [Fact]
    public async Task TheEventSchemaIsServedAsTheRepositoryHoldsIt()
    {
        await using var w = new ParityWorld(new PipelineApp(storage));
        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get(Routes.EventSchema));

        Assert.Equal(200, answer.Status);
        Assert.Equal("application/schema+json", answer.ContentType);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "schemas", "webhook-event.schema.json")), answer.Body);
    }

    [Fact]
    public async Task TheNewReadRoutesNeedTheApiKey()
    {
        await using var app = new PipelineApp(storage);
        using var anonymous = app.CreateClient();
        foreach (var route in new[] { Routes.Organizations, Routes.EventSchema, Routes.Stats("acme", "wh_01JH2X4Y6Z8A0B2C4D6E8F0G2H") })
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(route)).StatusCode);
        }
    }

    private static (string, int)[] Organizations(ApiAnswer page) =>
        [.. page.Json!["data"]!.AsArray().Select(o => (o!["id"]!.GetValue<string>(), o["webhookCount"]!.GetValue<int>()))];
}
