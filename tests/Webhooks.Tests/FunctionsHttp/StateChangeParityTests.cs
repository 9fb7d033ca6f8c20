using Microsoft.Extensions.DependencyInjection;
using Webhooks.Secrets;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>
/// Requests that change a webhook, sent to an HTTP function: the standalone host then shows the
/// change, and the function answered as the standalone answers an equivalent request (apart from
/// ids and secrets). The app's clock is fake and stands still, so times compare too.
/// </summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class StateChangeParityTests(AzuriteFixture storage) : IAsyncLifetime
{
    private const string GoodUrl = "https://receiver.example.com/hooks";

    private static readonly object Body = new
    {
        name = "builds",
        url = GoodUrl,
        events = new[] { "build_completed", "build_failed" },
        projects = new { exclude = new[] { "legacy" } },
    };

    private ParityWorld w = null!;

    public Task InitializeAsync()
    {
        w = new ParityWorld(new PipelineApp(storage));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await w.DisposeAsync();

    [Fact]
    public async Task AWebhookCreatedByAFunctionIsTheOneTheStandaloneShows()
    {
        var request = ApiRequest.Json("POST", w.Webhooks, Body);

        var viaFunctions = await w.Functions.SendAsync(request);
        var viaStandalone = await w.Standalone.SendAsync(request);

        HostParity.AssertSameShape(request, viaStandalone, viaFunctions, "id", "secret");
        Assert.Equal(201, viaFunctions.Status);
        var id = viaFunctions.Text("id");
        Assert.Equal($"{w.Webhooks}/{id}", viaFunctions.Location);
        Assert.Equal($"{w.Webhooks}/{viaStandalone.Text("id")}", viaStandalone.Location);
        var shown = await w.Standalone.SendAsync(ApiRequest.Get(viaFunctions.Location!));
        Assert.Equal(200, shown.Status);
        Assert.Equal(viaFunctions.ETag, shown.ETag);
        var created = viaFunctions.Json!.AsObject();
        created.Remove("secret");
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(created, shown.Json), $"created {created.ToJsonString()}\nshown {shown.Body}");
        Assert.Equal([viaFunctions.Text("secret")!], await SigningSecretsAsync(id!));
    }

    [Fact]
    public async Task AWebhookPatchedByAFunctionIsChangedForTheStandalone()
    {
        var (a, aTag) = await CreateAsync();
        var (b, bTag) = await CreateAsync();
        var change = new { name = "renamed", events = new[] { "build_failed" }, projects = new { include = new[] { "my-app" } }, enabled = false };

        var viaFunctions = await w.Functions.SendAsync(ApiRequest.Json("PATCH", $"{w.Webhooks}/{a}", change).WithHeader("If-Match", aTag));
        var viaStandalone = await w.Standalone.SendAsync(ApiRequest.Json("PATCH", $"{w.Webhooks}/{b}", change).WithHeader("If-Match", bTag));

        HostParity.AssertSameShape(ApiRequest.Json("PATCH", $"{w.Webhooks}/{a}", change), viaStandalone, viaFunctions, "id");
        Assert.Equal(200, viaFunctions.Status);
        var shown = await w.Standalone.SendAsync(ApiRequest.Get($"{w.Webhooks}/{a}"));
        HostParity.AssertSameAnswer(ApiRequest.Get($"{w.Webhooks}/{a}"), shown, viaFunctions);
        Assert.Equal("renamed", shown.Text("name"));
        Assert.NotEqual(aTag, shown.ETag);
    }

    [Fact]
    public async Task AWebhookDeletedByAFunctionIsGoneForTheStandalone()
    {
        var (a, aTag) = await CreateAsync();
        var (b, bTag) = await CreateAsync();

        var viaFunctions = await w.Functions.SendAsync(ApiRequest.Delete($"{w.Webhooks}/{a}").WithHeader("If-Match", aTag));
        var viaStandalone = await w.Standalone.SendAsync(ApiRequest.Delete($"{w.Webhooks}/{b}").WithHeader("If-Match", bTag));

        HostParity.AssertSameAnswer(ApiRequest.Delete($"{w.Webhooks}/{a}"), viaStandalone, viaFunctions);
        Assert.Equal(204, viaFunctions.Status);
        Assert.Equal(404, (await w.Standalone.SendAsync(ApiRequest.Get($"{w.Webhooks}/{a}"))).Status);
        var listed = await w.Standalone.SendAsync(ApiRequest.Get(w.Webhooks));
        Assert.Empty(listed.Json!["data"]!.AsArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?revokePrevious=true")]
    public async Task ASecretRegeneratedByAFunctionSignsForTheStandaloneAlongsideThePreviousOneUnlessRevoked(string query)
    {
        var (a, _, oldSecret) = await CreateWithSecretAsync();
        var (b, _, _) = await CreateWithSecretAsync();

        var viaFunctions = await w.Functions.SendAsync(ApiRequest.Post($"{w.Webhooks}/{a}/secret/regenerate{query}"));
        var viaStandalone = await w.Standalone.SendAsync(ApiRequest.Post($"{w.Webhooks}/{b}/secret/regenerate{query}"));

        HostParity.AssertSameShape(ApiRequest.Post($"{w.Webhooks}/{a}/secret/regenerate{query}"), viaStandalone, viaFunctions, "webhookId", "secret");
        Assert.Equal(200, viaFunctions.Status);
        Assert.Equal(a, viaFunctions.Text("webhookId"));
        var newSecret = viaFunctions.Text("secret")!;
        Assert.NotEqual(oldSecret, newSecret);
        var revoked = query.Length > 0;
        Assert.Equal(revoked, viaFunctions.Json!["previousSecretValidUntil"] is null);
        string[] signing = revoked ? [newSecret] : [newSecret, oldSecret];
        Assert.Equal(signing, await SigningSecretsAsync(a));
        Assert.Equal(viaFunctions.ETag, (await w.Standalone.SendAsync(ApiRequest.Get($"{w.Webhooks}/{a}"))).ETag);
    }

    [Fact]
    public async Task PreviousSecretsRevokedByAFunctionNoLongerSignForTheStandalone()
    {
        var (a, _, _) = await CreateWithSecretAsync();
        var (b, _, _) = await CreateWithSecretAsync();
        var regenerated = await w.Functions.SendAsync(ApiRequest.Post($"{w.Webhooks}/{a}/secret/regenerate"));
        await w.Standalone.SendAsync(ApiRequest.Post($"{w.Webhooks}/{b}/secret/regenerate"));

        var viaFunctions = await w.Functions.SendAsync(ApiRequest.Post($"{w.Webhooks}/{a}/secret/revoke-previous"));
        var viaStandalone = await w.Standalone.SendAsync(ApiRequest.Post($"{w.Webhooks}/{b}/secret/revoke-previous"));

        HostParity.AssertSameShape(ApiRequest.Post($"{w.Webhooks}/{a}/secret/revoke-previous"), viaStandalone, viaFunctions, "id");
        Assert.Equal(200, viaFunctions.Status);
        Assert.Equal([regenerated.Text("secret")!], await SigningSecretsAsync(a));
        Assert.Equal(viaFunctions.ETag, (await w.Standalone.SendAsync(ApiRequest.Get($"{w.Webhooks}/{a}"))).ETag);
    }

    private async Task<(string Id, string ETag)> CreateAsync()
    {
        var (id, etag, _) = await CreateWithSecretAsync();
        return (id, etag);
    }

    private async Task<(string Id, string ETag, string Secret)> CreateWithSecretAsync()
    {
        var created = await w.Standalone.CreateWebhookAsync(w.Org, GoodUrl, events: new[] { "build_completed", "build_failed" }, projects: new { exclude = new[] { "legacy" } });
        return (created.Id, created.ETag!.ToString(), created.Secret!);
    }

    /// <summary>The signing secrets the standalone host signs deliveries of this webhook with, current first.</summary>
    private async Task<IReadOnlyList<string>> SigningSecretsAsync(string webhookId)
    {
        var webhook = await w.App.Services.GetRequiredService<WebhookStore>().GetAsync(w.Org, webhookId, CancellationToken.None);
        Assert.NotNull(webhook);
        return await w.App.Services.GetRequiredService<WebhookSecrets>().SigningSecretsAsync(webhook, CancellationToken.None);
    }
}
