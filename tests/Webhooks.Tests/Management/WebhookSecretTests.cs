using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Management;
using Webhooks.Secrets;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>A signing secret is shown once; secrets and token-bearing URLs never reach rows, logs or later responses.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class WebhookSecretTests(AzuriteFixture storage) : IDisposable
{
    private const string SlackUrl = "https://hooks.slack.com/services/T0001/B0002/SLACKTOKENabcdef123456";
    private readonly PipelineApp app = new(storage);
    private readonly string org = ApiCalls.NewOrganization();

    [Fact]
    public async Task TheSigningSecretIsShownOnlyInTheCreateResponse()
    {
        var client = app.CreateApiClient();
        var created = await client.CreateWebhookAsync(org);
        var secret = created.Secret!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        var id = created.Id;
        var read = await client.GetStringAsync(Routes.Webhook(org, id));
        var list = await client.GetStringAsync(Routes.Webhooks(org));
        var patched = await (await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { name = "renamed" })).Content.ReadAsStringAsync();
        foreach (var body in new[] { read, list, patched })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SecretsNeverReachTableRowsOrLogs()
    {
        var client = app.CreateApiClient();
        var generic = await client.CreateWebhookAsync(org);
        var secret = generic.Secret!;
        var regenerated = await (await client.PostAsync(Routes.RegenerateSecret(org, generic.Id), null)).ReadJsonAsync();
        var newSecret = regenerated.GetProperty("secret").GetString()!;
        await client.CreateWebhookAsync(org, SlackUrl, name: "slack", type: "slack");

        var rows = await StoredRows.DumpAsync(storage, "webhooks");
        var logs = string.Join("\n", app.Logs.GetSnapshot().Select(l => l.Message + " " + string.Join(",", l.StructuredState?.Select(s => s.Value) ?? [])));
        foreach (var leaked in new[] { secret, newSecret, "SLACKTOKEN" })
        {
            Assert.DoesNotContain(leaked, rows, StringComparison.Ordinal);
            Assert.DoesNotContain(leaked, logs, StringComparison.Ordinal);
        }
        // The checks above only mean something if rows and logs were really captured.
        Assert.Contains(org, rows, StringComparison.Ordinal);
        Assert.Contains("Regenerated the signing secret", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatUrlsAreMaskedInResponsesAndKeptInTheSecretStore()
    {
        var client = app.CreateApiClient();
        var created = await client.CreateWebhookAsync(org, SlackUrl, name: "slack", type: "slack");
        Assert.False(created.Json.TryGetProperty("secret", out _));
        var shown = created.Json.GetProperty("url").GetString()!;
        Assert.StartsWith("https://hooks.slack.com/", shown, StringComparison.Ordinal);
        Assert.EndsWith("3456", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("SLACKTOKEN", shown, StringComparison.Ordinal);

        var webhook = await app.Services.GetRequiredService<WebhookManager>().GetAsync(org, created.Id, default);
        var url = await app.Services.GetRequiredService<WebhookSecrets>().EndpointUrlAsync(webhook!, default);
        Assert.Equal(SlackUrl, url);
    }

    [Fact]
    public async Task ChangingAChatUrlStoresTheNewOneAsASecret()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org, SlackUrl, name: "slack", type: "slack")).Id;
        const string newUrl = "https://hooks.slack.com/services/T0001/B0002/ROTATEDtoken999";
        var patched = await (await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { url = newUrl })).ReadJsonAsync();
        Assert.EndsWith("n999", patched.GetProperty("url").GetString(), StringComparison.Ordinal);

        var webhook = await app.Services.GetRequiredService<WebhookManager>().GetAsync(org, id, default);
        Assert.Equal(newUrl, await app.Services.GetRequiredService<WebhookSecrets>().EndpointUrlAsync(webhook!, default));
        Assert.DoesNotContain("ROTATED", await StoredRows.DumpAsync(storage, "webhooks"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegeneratingKeepsThePreviousSecretValidForTheOverlap()
    {
        var client = app.CreateApiClient();
        var created = await client.CreateWebhookAsync(org);
        var id = created.Id;
        var first = created.Secret!;

        var response = await client.PostAsync(Routes.RegenerateSecret(org, id), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var second = body.GetProperty("secret").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal(app.Clock.GetUtcNow() + TimeSpan.FromHours(24), body.GetProperty("previousSecretValidUntil").GetDateTimeOffset());
        Assert.DoesNotContain(second, await client.GetStringAsync(Routes.Webhook(org, id)), StringComparison.Ordinal);

        Assert.Equal([second, first], await SigningSecretsAsync(id));
        app.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal([second, first], await SigningSecretsAsync(id));
        app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal([second], await SigningSecretsAsync(id));
    }

    [Fact]
    public async Task RegeneratingTwiceKeepsBothPredecessorsUntilTheirOwnDeadlines()
    {
        var client = app.CreateApiClient();
        var created = await client.CreateWebhookAsync(org);
        var id = created.Id;
        var first = created.Secret!;
        var second = (await (await client.PostAsync(Routes.RegenerateSecret(org, id), null)).ReadJsonAsync()).GetProperty("secret").GetString()!;
        app.Clock.Advance(TimeSpan.FromHours(12));
        var third = (await (await client.PostAsync(Routes.RegenerateSecret(org, id), null)).ReadJsonAsync()).GetProperty("secret").GetString()!;

        Assert.Equal([third, second, first], await SigningSecretsAsync(id));
        app.Clock.Advance(TimeSpan.FromHours(13));
        Assert.Equal([third, second], await SigningSecretsAsync(id));
    }

    [Fact]
    public async Task RegeneratingManyTimesKeepsTheRowAndTheSigningSecretsBounded()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org)).Id;
        var issued = new List<string>();
        // Unbounded, the retired list passed the table's 64 KB property limit after a few hundred of these.
        for (var i = 0; i < 300; i++)
        {
            var response = await client.PostAsync(Routes.RegenerateSecret(org, id), null);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"regenerate {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            issued.Add((await response.ReadJsonAsync()).GetProperty("secret").GetString()!);
        }

        var row = (await new TableClient(storage.ConnectionString, "webhooks").GetEntityAsync<TableEntity>(org, id)).Value;
        Assert.InRange(row.GetString("RetiredSigningVersions").Length, 2, 1024);
        // The current secret and the default two predecessors sign, newest first; older ones are gone from the store.
        Assert.Equal([issued[^1], issued[^2], issued[^3]], await SigningSecretsAsync(id));
        Assert.Equal(3, (await DevelopmentVersionsAsync(id)).Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARegenerationWhoseSavedWriteConflictsOnTheSdkRetryKeepsItsSecretCurrentOnce(bool withIfMatch)
    {
        var lostReply = new LostReplyPolicy();
        using var lossy = AppLosing(lostReply);
        var client = lossy.CreateApiClient();
        var create = await client.CreateWebhookAsync(org, "https://example.com/h", name: "n");
        var id = create.Id;
        var first = create.Secret!;

        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.RegenerateSecret(org, id));
        if (withIfMatch)
        {
            request.Headers.TryAddWithoutValidation("If-Match", create.ETag!.ToString());
        }
        lostReply.Arm();
        var response = await client.SendAsync(request);

        Assert.Equal(1, lostReply.Lost);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = (await response.ReadJsonAsync()).GetProperty("secret").GetString()!;
        // The new secret signs (not discarded by the failed-looking retry), once (not also retired as its own predecessor).
        Assert.Equal([second, first], await SigningSecretsAsync(id));
        Assert.Equal(2, (await DevelopmentVersionsAsync(id)).Count);
    }

    [Fact]
    public async Task AChatUrlChangeWhoseSavedWriteConflictsOnTheSdkRetryKeepsOnlyTheNewUrl()
    {
        var lostReply = new LostReplyPolicy();
        using var lossy = AppLosing(lostReply);
        var client = lossy.CreateApiClient();
        var create = await client.CreateWebhookAsync(org, SlackUrl, name: "slack", type: "slack");
        var id = create.Id;
        const string newUrl = "https://hooks.slack.com/services/T0001/B0002/ROTATEDtoken999";

        using var request = new HttpRequestMessage(HttpMethod.Patch, Routes.Webhook(org, id)) { Content = JsonContent.Create(new { url = newUrl }) };
        request.Headers.TryAddWithoutValidation("If-Match", create.ETag!.ToString());
        lostReply.Arm();
        var response = await client.SendAsync(request);

        Assert.Equal(1, lostReply.Lost);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var webhook = await lossy.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, default);
        Assert.Equal(newUrl, await lossy.Services.GetRequiredService<WebhookSecrets>().EndpointUrlAsync(webhook!, default));
        Assert.Equal([webhook!.Secrets.UrlVersion!], await StoredRows.DevelopmentSecretVersionsAsync(storage, SecretNames.Url(org, id)));
    }

    [Fact]
    public async Task ChangingAChatUrlKeepsOnlyTheCurrentUrlInTheSecretStore()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org, SlackUrl, name: "slack", type: "slack")).Id;
        foreach (var token in new[] { "ROTATEDtoken111", "ROTATEDtoken222" })
        {
            var response = await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { url = $"https://hooks.slack.com/services/T0001/B0002/{token}" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var rejected = await client.PatchAsJsonAsync(Routes.Webhook(org, $"wh_{Guid.NewGuid():N}"), new { url = "https://hooks.slack.com/services/T0001/B0002/ROTATEDtoken333" });
        Assert.Equal(HttpStatusCode.NotFound, rejected.StatusCode);

        var webhook = await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, default);
        Assert.Equal([webhook!.Secrets.UrlVersion!], await StoredRows.DevelopmentSecretVersionsAsync(storage, SecretNames.Url(org, id)));
    }

    [Fact]
    public async Task RegeneratingWithRevokePreviousLeavesOnlyTheNewSecretSigning()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org)).Id;
        await client.PostAsync(Routes.RegenerateSecret(org, id), null);

        var response = await client.PostAsync($"{Routes.RegenerateSecret(org, id)}?revokePrevious=true", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("previousSecretValidUntil").ValueKind);
        Assert.Equal([secret], await SigningSecretsAsync(id));
        Assert.Single(await DevelopmentVersionsAsync(id));
    }

    [Fact]
    public async Task RevokingPreviousSecretsEndsTheirOverlapAtOnce()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org)).Id;
        var regenerated = await (await client.PostAsync(Routes.RegenerateSecret(org, id), null)).ReadJsonAsync();
        var current = regenerated.GetProperty("secret").GetString()!;

        var response = await client.PostAsync(Routes.RevokePreviousSecret(org, id), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(current, body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"secret\"", body, StringComparison.Ordinal);
        Assert.Equal([current], await SigningSecretsAsync(id));
        Assert.Single(await DevelopmentVersionsAsync(id));
    }

    [Fact]
    public async Task RevokePreviousIsRefusedForChatWebhooksAndUnknownIds()
    {
        var client = app.CreateApiClient();
        var chat = (await client.CreateWebhookAsync(org, SlackUrl, name: "slack", type: "slack")).Id;
        await (await client.PostAsync(Routes.RevokePreviousSecret(org, chat), null)).AssertFieldErrorAsync("type");
        var missing = await client.PostAsync(Routes.RevokePreviousSecret(org, $"wh_{Guid.NewGuid():N}"), null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ARevokePreviousValueOtherThanTrueOrFalseNamesTheField()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org)).Id;
        var response = await client.PostAsync($"{Routes.RegenerateSecret(org, id)}?revokePrevious=yes", null);
        await response.AssertFieldErrorAsync("revokePrevious");
        Assert.Single(await DevelopmentVersionsAsync(id));
    }

    [Fact]
    public async Task ChatWebhooksHaveNoSigningSecretToRegenerate()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org, SlackUrl, name: "slack", type: "slack")).Id;
        var response = await client.PostAsync(Routes.RegenerateSecret(org, id), null);
        await response.AssertFieldErrorAsync("type");
    }

    private async Task<string[]> SigningSecretsAsync(string id)
    {
        var webhook = await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, default);
        return [.. await app.Services.GetRequiredService<WebhookSecrets>().SigningSecretsAsync(webhook!, default)];
    }

    // The standalone host whose table client goes through the policy.
    private PipelineApp AppLosing(LostReplyPolicy lostReply) => new(storage, services =>
    {
        var options = new TableClientOptions();
        options.AddPolicy(lostReply, Azure.Core.HttpPipelinePosition.PerRetry);
        services.AddSingleton(new TableServiceClient(storage.ConnectionString, options));
    });

    private Task<List<string>> DevelopmentVersionsAsync(string id) => StoredRows.DevelopmentSecretVersionsAsync(storage, SecretNames.Signing(org, id));

    public void Dispose() => app.Dispose();
}
