using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Secrets;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>Create, read, list, change and delete, as a customer walks through them.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class WebhookLifecycleTests(AzuriteFixture storage) : IDisposable
{
    private readonly PipelineApp app = new(storage);
    private readonly string org = ApiCalls.NewOrganization();

    [Fact]
    public async Task ACreatedWebhookReadsBackWithItsDefaults()
    {
        var client = app.CreateApiClient();
        var create = await client.PostAsJsonAsync(Routes.Webhooks(org), new { name = "  Builds  ", url = "https://receiver.example.com/hooks" });
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var created = await create.ReadJsonAsync();
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^wh_[0-9a-z]{26}$", id);
        Assert.Equal(Routes.Webhook(org, id), create.Headers.Location?.ToString());

        var read = await (await client.GetAsync(Routes.Webhook(org, id))).ReadJsonAsync();
        Assert.Equal("Builds", read.GetProperty("name").GetString());
        Assert.Equal("generic", read.GetProperty("type").GetString());
        Assert.Equal(org, read.GetProperty("organizationId").GetString());
        Assert.Equal("all", read.GetProperty("events")[0].GetString());
        Assert.True(read.GetProperty("enabled").GetBoolean());
        Assert.Equal(app.Clock.GetUtcNow(), read.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("lastTriggeredAt").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("lastStatusCode").ValueKind);
    }

    [Fact]
    public async Task PatchChangesOnlyTheFieldsGiven()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org, "https://example.com/h", name: "n", events: new[] { "build_failed" }, projects: new { include = new[] { "app" } })).Id;
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var patched = await (await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { name = "renamed" })).ReadJsonAsync();
        Assert.Equal("renamed", patched.GetProperty("name").GetString());
        Assert.Equal("build_failed", patched.GetProperty("events")[0].GetString());
        Assert.Equal("app", patched.GetProperty("projects").GetProperty("include")[0].GetString());
        Assert.Equal(app.Clock.GetUtcNow(), patched.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.NotEqual(patched.GetProperty("createdAt").GetDateTimeOffset(), patched.GetProperty("updatedAt").GetDateTimeOffset());

        var cleared = await (await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { projects = new { } })).ReadJsonAsync();
        Assert.False(cleared.GetProperty("projects").TryGetProperty("include", out _));
    }

    [Fact]
    public async Task ReEnablingAnAutomaticallyDisabledWebhookClearsTheReason()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org)).Id;
        var store = app.Services.GetRequiredService<WebhookStore>();
        var webhook = await store.GetAsync(org, id, default);
        await store.ReplaceAsync(webhook! with { Enabled = false, DisabledReason = "Endpoint answered 410 Gone.", DisabledAt = app.Clock.GetUtcNow() }, default);

        var disabled = await (await client.GetAsync(Routes.Webhook(org, id))).ReadJsonAsync();
        Assert.Equal("Endpoint answered 410 Gone.", disabled.GetProperty("disabledReason").GetString());
        var enabled = await (await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { enabled = true })).ReadJsonAsync();
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, enabled.GetProperty("disabledReason").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, enabled.GetProperty("disabledAt").ValueKind);
    }

    [Fact]
    public async Task ListingPagesThroughEveryWebhookOnce()
    {
        var client = app.CreateApiClient();
        var ids = new HashSet<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await client.CreateWebhookAsync(org, name: $"hook {i}")).Id);
        }
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"{Routes.Webhooks(org)}?limit=3" + (token is null ? "" : $"&pageToken={token}");
            var page = await (await client.GetAsync(url)).ReadJsonAsync();
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(w => w.GetProperty("id").GetString()!));
            token = page.GetProperty("nextPageToken").GetString();
            pages++;
        }
        while (token is not null && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(), seen.Order());
    }

    [Fact]
    public async Task DeletingAWebhookRemovesItsSecretsAndHistory()
    {
        var client = app.CreateApiClient();
        var generic = await client.CreateWebhookAsync(org);
        var id = generic.Id;
        await client.PostAsync(Routes.RegenerateSecret(org, id), null);
        var slackId = (await client.CreateWebhookAsync(org, "https://hooks.slack.com/services/T1/B1/tokentoken", name: "s", type: "slack")).Id;
        var webhook = await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, default);
        var slack = await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, slackId, default);
        var history = app.Services.GetRequiredService<DeliveryStore>();
        for (var i = 0; i < 130; i++)
        {
            await history.TryCreateAsync(Delivery(id, $"dlv_{i}"), default);
        }
        await history.TryCreateAsync(Delivery(slackId, "dlv_kept"), default);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(Routes.Webhook(org, id))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(Routes.Webhook(org, slackId))).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Routes.Webhook(org, id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(Routes.Webhook(org, id))).StatusCode);
        var rows = await StoredRows.ReadAllAsync(storage, "deliveries");
        Assert.DoesNotContain(rows, r => r.PartitionKey == DeliveryStore.PartitionOf(org, id) || r.PartitionKey == DeliveryStore.PartitionOf(org, slackId));
        // The secret store is read past its cache, as a fresh process would.
        var secrets = ActivatorUtilities.CreateInstance<DevelopmentSecretStore>(app.Services);
        foreach (var version in webhook!.Secrets.SigningVersionsValidAt(app.Clock.GetUtcNow()).Append(webhook.Secrets.SigningVersion!))
        {
            Assert.Null(await secrets.GetAsync(SecretNames.Signing(org, id), version, default));
        }
        Assert.Null(await secrets.GetAsync(SecretNames.Url(org, slackId), slack!.Secrets.UrlVersion!, default));
    }

    [Fact]
    public async Task DeletingOneWebhookLeavesTheOthersHistory()
    {
        var client = app.CreateApiClient();
        var doomed = (await client.CreateWebhookAsync(org)).Id;
        var kept = (await client.CreateWebhookAsync(org)).Id;
        var history = app.Services.GetRequiredService<DeliveryStore>();
        await history.TryCreateAsync(Delivery(doomed, "dlv_a"), default);
        await history.TryCreateAsync(Delivery(kept, "dlv_b"), default);

        await client.DeleteAsync(Routes.Webhook(org, doomed));

        var rows = await StoredRows.ReadAllAsync(storage, "deliveries");
        Assert.Contains(rows, r => r.PartitionKey == DeliveryStore.PartitionOf(org, kept));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Routes.Webhook(org, kept))).StatusCode);
    }

    private DeliveryRecord Delivery(string webhookId, string eventId) =>
        DeliveryRecord.Pending(org, webhookId, eventId, "build_completed", "{}"u8.ToArray(), app.Clock.GetUtcNow());

    public void Dispose() => app.Dispose();
}
