using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Secrets;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>ETags and If-Match: a stale writer is told so, and concurrent changes never vanish silently.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class WebhookConcurrencyTests(AzuriteFixture storage) : IDisposable
{
    private readonly PipelineApp app = new(storage);
    private readonly string org = ApiCalls.NewOrganization();

    [Fact]
    public async Task ResponsesCarryAnETagThatChangesWithEachWrite()
    {
        var client = app.CreateApiClient();
        var create = await client.CreateWebhookAsync(org, "https://example.com/h", name: "n");
        var id = create.Id;
        var created = create.ETag;
        var read = (await client.GetAsync(Routes.Webhook(org, id))).Headers.ETag;
        var patched = (await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { name = "m" })).Headers.ETag;
        Assert.NotNull(created);
        Assert.Equal(created, read);
        Assert.NotEqual(created, patched);
    }

    [Fact]
    public async Task AStaleIfMatchIsRefusedWith412AndChangesNothing()
    {
        var client = app.CreateApiClient();
        var create = await client.CreateWebhookAsync(org, "https://example.com/h", name: "original");
        var id = create.Id;
        var stale = create.ETag!.ToString();
        await client.PatchAsJsonAsync(Routes.Webhook(org, id), new { name = "first" });

        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Patch, Routes.Webhook(org, id)) { Content = JsonContent.Create(new { name = "second" }) },
            new HttpRequestMessage(HttpMethod.Delete, Routes.Webhook(org, id)),
            new HttpRequestMessage(HttpMethod.Post, Routes.RegenerateSecret(org, id)),
        })
        {
            request.Headers.TryAddWithoutValidation("If-Match", stale);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        var now = await (await client.GetAsync(Routes.Webhook(org, id))).ReadJsonAsync();
        Assert.Equal("first", now.GetProperty("name").GetString());
    }

    [Fact]
    public async Task AMatchingIfMatchIsApplied()
    {
        var client = app.CreateApiClient();
        var create = await client.CreateWebhookAsync(org, "https://example.com/h", name: "original");
        var id = create.Id;
        using var request = new HttpRequestMessage(HttpMethod.Patch, Routes.Webhook(org, id)) { Content = JsonContent.Create(new { name = "changed" }) };
        request.Headers.TryAddWithoutValidation("If-Match", create.ETag!.ToString());
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("changed", (await response.ReadJsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ConcurrentWritersWithTheSameIfMatchCannotBothWin()
    {
        var client = app.CreateApiClient();
        var create = await client.CreateWebhookAsync(org, "https://example.com/h", name: "original");
        var id = create.Id;
        var etag = create.ETag!.ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, Routes.Webhook(org, id)) { Content = JsonContent.Create(new { name = $"writer-{i}" }) };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            return await client.SendAsync(request);
        }));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
    }

    [Fact]
    public async Task ConcurrentChangesWithoutIfMatchAreAllKept()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org)).Id;
        // Each writer changes a different field; a lost update would revert one of them.
        var responses = await Task.WhenAll(
            client.PatchAsJsonAsync(Routes.Webhook(org, id), new { name = "renamed" }),
            client.PatchAsJsonAsync(Routes.Webhook(org, id), new { events = new[] { "build_failed" } }),
            client.PatchAsJsonAsync(Routes.Webhook(org, id), new { enabled = false }),
            client.PatchAsJsonAsync(Routes.Webhook(org, id), new { projects = new { exclude = new[] { "legacy" } } }),
            client.PatchAsJsonAsync(Routes.Webhook(org, id), new { url = "https://other.example.com/h" }));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var now = await (await client.GetAsync(Routes.Webhook(org, id))).ReadJsonAsync();
        Assert.Equal("renamed", now.GetProperty("name").GetString());
        Assert.Equal("build_failed", now.GetProperty("events")[0].GetString());
        Assert.False(now.GetProperty("enabled").GetBoolean());
        Assert.Equal("legacy", now.GetProperty("projects").GetProperty("exclude")[0].GetString());
        Assert.Equal("https://other.example.com/h", now.GetProperty("url").GetString());
    }

    [Fact]
    public async Task ManyConcurrentChangesWithoutIfMatchAreSerialisedNotRefused()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org)).Id;

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => client.PatchAsJsonAsync(Routes.Webhook(org, id), new { name = $"writer-{i}" })));

        // No caller sent a precondition, so none may be told one failed; too much contention may only ask for a retry.
        Assert.DoesNotContain(responses, r => r.StatusCode == HttpStatusCode.PreconditionFailed);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString()));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task ConcurrentRegeneratesWithoutIfMatchAllSucceedAndLeaveNoOrphanedSecret()
    {
        var client = app.CreateApiClient();
        var id = (await client.CreateWebhookAsync(org)).Id;

        // More writers than a handful of immediate retries can serialise: without backoff some starved and got 412.
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.PostAsync(Routes.RegenerateSecret(org, id), null)));

        var issued = new List<string>();
        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                // The only failure allowed without a precondition: one the caller is told to retry.
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(response.Headers.RetryAfter);
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
            issued.Add((await response.ReadJsonAsync()).GetProperty("secret").GetString()!);
        }
        Assert.NotEmpty(issued);
        var webhook = (await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, default))!;
        var signing = await app.Services.GetRequiredService<WebhookSecrets>().SigningSecretsAsync(webhook, default);
        Assert.Contains(signing[0], issued);
        // The current secret and the default two predecessors; every other version was discarded.
        Assert.Equal(3, signing.Count);
        await AssertStoreHoldsOnlyReferencedVersionsAsync(id);
    }

    [Fact]
    public async Task ConcurrentRegeneratesWithTheSameIfMatchLeaveOnlyTheWinnersSecret()
    {
        var client = app.CreateApiClient();
        var create = await client.CreateWebhookAsync(org, "https://example.com/h", name: "n");
        var id = create.Id;
        var etag = create.ETag!.ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Routes.RegenerateSecret(org, id));
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            return await client.SendAsync(request);
        }));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        // The losers stored a secret before they found the row changed; each must have discarded it.
        await AssertStoreHoldsOnlyReferencedVersionsAsync(id);
    }

    /// <summary>The development store holds exactly the versions the row refers to: no call left a secret behind.</summary>
    private async Task AssertStoreHoldsOnlyReferencedVersionsAsync(string id)
    {
        var webhook = (await app.Services.GetRequiredService<WebhookStore>().GetAsync(org, id, default))!;
        var referenced = webhook.Secrets.RetiredSigningVersions.Select(r => r.Version).Append(webhook.Secrets.SigningVersion!).Order(StringComparer.Ordinal).ToArray();
        var stored = await StoredRows.DevelopmentSecretVersionsAsync(storage, SecretNames.Signing(org, id));
        Assert.Equal(referenced, stored.Order(StringComparer.Ordinal).ToArray());
    }

    public void Dispose() => app.Dispose();
}
