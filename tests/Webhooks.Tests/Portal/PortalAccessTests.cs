using Webhooks.Tests.FunctionsHttp;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Portal;

/// <summary>
/// What a portal session reaches, on both hosts: its own organization's routes under <c>/api/portal</c>;
/// another organization is unknown (404); changes need <c>manage</c> (403); API keys and tokens stay on
/// their own side.
/// </summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class PortalAccessTests(AzuriteFixture storage)
{
    private static readonly object NewWebhook = new { name = "builds", url = ApiCalls.ExampleUrl };

    [Fact]
    public async Task ASessionForAnOrganizationReadsItsWebhooks()
    {
        await using var w = new PortalWorld(storage);
        var webhook = await w.Operator.CreateWebhookAsync(w.Org);
        var token = await w.SessionAsync(w.Org);

        var list = await w.BothAsync(ApiRequest.Get(PortalWorld.PortalWebhooks(w.Org)), token);
        var one = await w.BothAsync(ApiRequest.Get(PortalWorld.PortalWebhook(w.Org, webhook.Id)), token);
        var deliveries = await w.BothAsync(ApiRequest.Get(PortalWorld.PortalWebhook(w.Org, webhook.Id) + "/deliveries"), token);
        var eventTypes = await w.BothAsync(ApiRequest.Get("/api/portal/event-types"), token);
        var session = await w.BothAsync(ApiRequest.Get("/api/portal/session"), token);

        Assert.Equal(200, list.Status);
        Assert.Equal(webhook.Id, list.Json!["data"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(200, one.Status);
        Assert.Equal((await w.Operator.SendAsync(ApiRequest.Get(Routes.Webhook(w.Org, webhook.Id)))).Body, one.Body);
        Assert.Equal(200, deliveries.Status);
        Assert.Equal(200, eventTypes.Status);
        Assert.Equal(w.Org, session.Text("organizationId"));
        Assert.Equal("read", session.Text("permission"));
    }

    [Fact]
    public async Task AnotherOrganizationIsNotFoundAsAnUnknownWebhookIs()
    {
        await using var w = new PortalWorld(storage);
        var other = ApiCalls.NewOrganization();
        var theirs = await w.Operator.CreateWebhookAsync(other);
        var token = await w.SessionAsync(w.Org, "manage");

        var read = await w.BothAsync(ApiRequest.Get(PortalWorld.PortalWebhook(other, theirs.Id)), token);
        var list = await w.BothAsync(ApiRequest.Get(PortalWorld.PortalWebhooks(other)), token);
        var delete = await w.BothAsync(ApiRequest.Delete(PortalWorld.PortalWebhook(other, theirs.Id)), token);
        var deliveries = await w.BothAsync(ApiRequest.Get(PortalWorld.PortalWebhook(other, theirs.Id) + "/deliveries"), token);
        var unknown = await w.Operator.SendAsync(ApiRequest.Get(Routes.Webhook(w.Org, theirs.Id)));

        Assert.Equal(404, unknown.Status);
        foreach (var answer in new[] { read, delete, deliveries })
        {
            Assert.Equal(404, answer.Status);
            Assert.Equal(unknown.ContentType, answer.ContentType);
            Assert.Equal(unknown.Text("title"), answer.Text("title"));
            Assert.Equal(unknown.Text("detail"), answer.Text("detail"));
        }
        Assert.Equal(404, list.Status);
        Assert.Equal(200, (await w.Operator.SendAsync(ApiRequest.Get(Routes.Webhook(other, theirs.Id)))).Status);
    }

    [Fact]
    public async Task AReadOnlySessionCannotChangeAnything()
    {
        await using var w = new PortalWorld(storage);
        var webhook = await w.Operator.CreateWebhookAsync(w.Org);
        var token = await w.SessionAsync(w.Org, "read");
        var path = PortalWorld.PortalWebhook(w.Org, webhook.Id);
        var before = await w.Operator.SendAsync(ApiRequest.Get(Routes.Webhook(w.Org, webhook.Id)));
        ApiRequest[] changes =
        [
            ApiRequest.Json("POST", PortalWorld.PortalWebhooks(w.Org), NewWebhook),
            ApiRequest.Json("PATCH", path, new { name = "renamed" }),
            ApiRequest.Delete(path),
            ApiRequest.Post(path + "/secret/regenerate"),
            ApiRequest.Post(path + "/secret/revoke-previous"),
            ApiRequest.Post(path + "/test"),
            ApiRequest.Post(path + "/recover"),
            ApiRequest.Post(path + "/deliveries/dl_unknown/resend"),
        ];

        foreach (var change in changes)
        {
            var answer = await w.BothAsync(change, token);
            Assert.True(answer.Status == 403, $"{change}: {answer}");
            Assert.Equal("application/problem+json", answer.ContentType);
        }
        var after = await w.Operator.SendAsync(ApiRequest.Get(Routes.Webhook(w.Org, webhook.Id)));
        Assert.Equal(before.Body, after.Body);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Single((await w.Operator.SendAsync(ApiRequest.Get(Routes.Webhooks(w.Org)))).Json!["data"]!.AsArray());
        Assert.Empty(w.Functions.Durable.Scheduled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AManageSessionCreatesPatchesRegeneratesAndDeletes(bool throughFunctions)
    {
        await using var w = new PortalWorld(storage);
        var token = await w.SessionAsync(w.Org, "manage");
        Task<ApiAnswer> Send(ApiRequest request)
        {
            var authorized = request.WithHeader("Authorization", "Bearer " + token);
            return throughFunctions ? w.Functions.SendAsync(authorized) : w.Anonymous.SendAsync(authorized);
        }

        var created = await Send(ApiRequest.Json("POST", PortalWorld.PortalWebhooks(w.Org), NewWebhook));
        Assert.True(created.Status == 201, created.ToString());
        var id = created.Text("id")!;
        Assert.NotNull(created.Text("secret"));
        var path = PortalWorld.PortalWebhook(w.Org, id);
        var patched = await Send(ApiRequest.Json("PATCH", path, new { name = "renamed" }));
        Assert.True(patched.Status == 200, patched.ToString());
        var regenerated = await Send(ApiRequest.Post(path + "/secret/regenerate"));
        Assert.True(regenerated.Status == 200, regenerated.ToString());
        Assert.NotEqual(created.Text("secret"), regenerated.Text("secret"));
        Assert.Equal("renamed", (await w.Operator.SendAsync(ApiRequest.Get(Routes.Webhook(w.Org, id)))).Text("name"));

        var deleted = await Send(ApiRequest.Delete(path));

        Assert.True(deleted.Status == 204, deleted.ToString());
        Assert.Equal(404, (await w.Operator.SendAsync(ApiRequest.Get(Routes.Webhook(w.Org, id)))).Status);
    }

    [Fact]
    public async Task AnApiKeyOpensNoPortalRouteAndATokenNoOperatorRoute()
    {
        await using var w = new PortalWorld(storage);
        await w.Operator.CreateWebhookAsync(w.Org);
        var token = await w.SessionAsync(w.Org, "manage");
        var portalList = ApiRequest.Get(PortalWorld.PortalWebhooks(w.Org));

        var keyHeader = await w.BothAsync(portalList.WithHeader("X-Api-Key", PipelineApp.ApiKey), token: null);
        var keyAsBearer = await w.BothAsync(portalList, PipelineApp.ApiKey);
        var tokenOnOperatorRoute = await w.Anonymous.SendAsync(ApiRequest.Get(Routes.Webhooks(w.Org)).WithHeader("Authorization", "Bearer " + token));

        Assert.Equal(401, keyHeader.Status);
        Assert.Equal("Bearer", keyHeader.Challenge);
        Assert.Equal(401, keyAsBearer.Status);
        Assert.Equal(401, tokenOnOperatorRoute.Status);
        Assert.Equal("application/problem+json", tokenOnOperatorRoute.ContentType);
        // The Functions app's key levels (portal routes open, every other API route behind a function key) are
        // RouteParityTests.EveryHttpFunctionButThePortalsRequiresAFunctionKey.
    }
}
