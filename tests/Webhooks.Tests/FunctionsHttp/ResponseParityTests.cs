using System.Text;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>
/// For requests that change nothing, an HTTP function answers exactly what the standalone host
/// answers: status, content type, ETag, Location and JSON body.
/// </summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class ResponseParityTests(AzuriteFixture storage) : IAsyncLifetime
{
    private const string GoodUrl = "https://receiver.example.com/hooks";
    private const string UnknownWebhook = "wh_0000000000000000000000000a";
    private const string UnknownDelivery = "dlv_0000000000000000000000000a";

    private ParityWorld w = null!;

    public Task InitializeAsync()
    {
        w = new ParityWorld(new PipelineApp(storage));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await w.DisposeAsync();

    [Fact]
    public async Task TheEventTypeCatalogueIsTheSame()
    {
        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get("/api/event-types"));

        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task ListingWebhooksIsTheSameInEveryPage()
    {
        for (var i = 0; i < 3; i++)
        {
            await w.Standalone.CreateWebhookAsync(w.Org, GoodUrl, name: $"hook-{i}", events: new[] { "build_completed" }, projects: new { include = new[] { "my-app" } });
        }

        var all = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get(w.Webhooks));
        var first = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get(w.Webhooks + "?limit=2"));
        var token = first.Text("nextPageToken");
        Assert.False(string.IsNullOrEmpty(token));
        var second = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get($"{w.Webhooks}?limit=2&pageToken={Uri.EscapeDataString(token)}"));

        Assert.Equal(3, all.Json!["data"]!.AsArray().Count);
        Assert.Single(second.Json!["data"]!.AsArray());
    }

    [Fact]
    public async Task APageTokenIssuedByOneHostResumesTheListingOnTheOther()
    {
        for (var i = 0; i < 3; i++)
        {
            await w.Standalone.CreateWebhookAsync(w.Org, name: $"hook-{i}");
        }
        var fromFunctions = await w.Functions.SendAsync(ApiRequest.Get(w.Webhooks + "?limit=1"));
        var token = Uri.EscapeDataString(fromFunctions.Text("nextPageToken")!);

        var next = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get($"{w.Webhooks}?limit=1&pageToken={token}"));

        Assert.Equal(200, next.Status);
        Assert.NotEqual(fromFunctions.Json!["data"]![0]!["id"]!.GetValue<string>(), next.Json!["data"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task GettingAWebhookIsTheSameWithItsETag()
    {
        var id = (await w.Standalone.CreateWebhookAsync(w.Org, "https://hooks.slack.com/services/T0001/B0002/SLACKTOKENabcdef123456", name: "slack", type: "slack")).Id;

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get($"{w.Webhooks}/{id}"));

        Assert.Equal(200, answer.Status);
        Assert.NotNull(answer.ETag);
    }

    [Theory]
    [InlineData("GET", "/webhooks/" + UnknownWebhook)]
    [InlineData("GET", "/webhooks/not-a-webhook-id")]
    [InlineData("DELETE", "/webhooks/" + UnknownWebhook)]
    [InlineData("POST", "/webhooks/" + UnknownWebhook + "/secret/regenerate")]
    [InlineData("GET", "/webhooks/" + UnknownWebhook + "/deliveries")]
    [InlineData("POST", "/webhooks/" + UnknownWebhook + "/test")]
    [InlineData("POST", "/webhooks/" + UnknownWebhook + "/recover?since=2026-01-01T00:00:00Z")]
    public async Task AnUnknownWebhookIsTheSame404(string method, string path)
    {
        var answer = await w.AssertBothAnswerAlikeAsync(new ApiRequest(method, $"{Routes.Organization(w.Org)}{path}"));

        Assert.Equal(404, answer.Status);
        Assert.Empty(w.Functions.Durable.Scheduled);
    }

    [Fact]
    public async Task PatchingAnUnknownWebhookIsTheSame404()
    {
        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("PATCH", $"{w.Webhooks}/{UnknownWebhook}", new { name = "renamed" }));

        Assert.Equal(404, answer.Status);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/resend")]
    public async Task AnUnknownDeliveryIsTheSame404(string method, string suffix)
    {
        var webhook = (await w.Standalone.CreateWebhookAsync(w.Org)).Id;

        var answer = await w.AssertBothAnswerAlikeAsync(new ApiRequest(method, $"{w.Webhooks}/{webhook}/deliveries/{UnknownDelivery}{suffix}"));

        Assert.Equal(404, answer.Status);
        Assert.Empty(w.Functions.Durable.Scheduled);
    }

    [Theory]
    [InlineData("GET", "/webhooks")]
    [InlineData("GET", "/webhooks/" + UnknownWebhook)]
    [InlineData("GET", "/webhooks/" + UnknownWebhook + "/deliveries/" + UnknownDelivery)]
    public async Task AnInvalidOrganizationInTheRouteIsTheSame400(string method, string path)
    {
        var answer = await w.AssertBothAnswerAlikeAsync(new ApiRequest(method, Routes.Organization("-not_an_org") + path));

        Assert.Equal(400, answer.Status);
    }

    [Fact]
    public async Task ACreateWithSeveralFieldsAtFaultIsTheSame400NamingEach()
    {
        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", w.Webhooks, new
        {
            name = "",
            url = "http://10.0.0.5/h",
            type = "carrier-pigeon",
            events = new[] { "no_such_event" },
            projects = new { include = new[] { "a" }, exclude = new[] { "b" } },
        }));

        Assert.Equal(400, answer.Status);
        var errors = answer.Json!["errors"]!.AsObject();
        Assert.True(errors.Count >= 3, $"expected several fields at fault: {answer.Body}");
    }

    [Theory]
    [InlineData("https://localhost./hooks")]
    [InlineData("https://127.0.0.1./hooks")]
    [InlineData("https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/hooks")]
    [InlineData("https://foo.localhost/hooks")]
    [InlineData("https://localhost.localdomain/hooks")]
    [InlineData("https://metadata/computeMetadata/v1/")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("https://169.254.169.254./latest/meta-data")]
    public async Task AUrlTheGuardWouldRefuseIsTheSame400NamingUrlOnCreateAndUpdate(string url)
    {
        var created = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", w.Webhooks, new { name = "n", url }));
        var id = (await w.Standalone.CreateWebhookAsync(w.Org, GoodUrl, name: "n")).Id;
        var updated = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("PATCH", $"{w.Webhooks}/{id}", new { url }));

        foreach (var answer in new[] { created, updated })
        {
            Assert.Equal(400, answer.Status);
            Assert.Equal(["url"], answer.Json!["errors"]!.AsObject().Select(e => e.Key));
        }
    }

    [Theory]
    [InlineData("""{"name":"n","url":"https://receiver.example.com/hooks","colour":"red"}""")]
    [InlineData("""{"name":42,"url":"https://receiver.example.com/hooks"}""")]
    [InlineData("""{"name":"n","url":"https://receiver.example.com/hooks",}""")]
    [InlineData("""{"name":"n" """)]
    [InlineData("null")]
    [InlineData("")]
    public async Task AMalformedCreateBodyIsTheSame400(string body)
    {
        var answer = await w.AssertBothAnswerAlikeAsync(new ApiRequest("POST", w.Webhooks, Encoding.UTF8.GetBytes(body), "application/json"));

        Assert.Equal(400, answer.Status);
    }

    [Fact]
    public async Task AnEventWithoutATypeIsTheSame400()
    {
        var envelope = TestEvents.Envelope(w.Org);
        envelope.Remove("type");

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", Routes.Events(w.Org), envelope.ToJsonString()));

        Assert.Equal(400, answer.Status);
        Assert.NotNull(answer.Json!["errors"]!["type"]);
    }

    [Fact]
    public async Task AnEventOfAnotherOrganizationIsTheSame400()
    {
        var envelope = TestEvents.Envelope(ApiCalls.NewOrganization(), id: "evt_fixed_for_parity");

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", Routes.Events(w.Org), envelope.ToJsonString()));

        Assert.Equal(400, answer.Status);
        Assert.NotNull(answer.Json!["errors"]!["organization.id"]);
    }

    [Theory]
    [InlineData("/webhooks", "text/plain")]
    [InlineData("/webhooks", null)]
    [InlineData("/events", "text/plain")]
    [InlineData("/events", null)]
    public async Task ABodyThatIsNotJsonIsTheSame415(string path, string? contentType)
    {
        var request = new ApiRequest("POST", $"{Routes.Organization(w.Org)}{path}", Encoding.UTF8.GetBytes(TestEvents.Envelope(w.Org).ToJsonString()), contentType);

        var answer = await w.AssertBothAnswerAlikeAsync(request);

        Assert.Equal(415, answer.Status);
    }

    [Fact]
    public async Task APatchThatIsNotJsonIsTheSame415()
    {
        var created = await w.Standalone.CreateWebhookAsync(w.Org);

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("PATCH", $"{w.Webhooks}/{created.Id}", new { name = "x" }, "text/plain"));

        Assert.Equal(415, answer.Status);
    }

    [Fact]
    public async Task AJsonBodyUnderAStructuredSuffixTypeIsReadAlikeByBothHosts()
    {
        // The library reads any application/*+json body as JSON; both hosts must then answer the same.
        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", w.Webhooks, new { name = "", url = GoodUrl }, "application/vnd.webhooks+json"));

        Assert.Equal(400, answer.Status);
    }

    [Theory]
    [InlineData("/webhooks")]
    [InlineData("/events")]
    public async Task ABodyOverTheLimitIsTheSame413(string path)
    {
        var padding = new string('x', 70 * 1024);
        var request = ApiRequest.Json("POST", $"{Routes.Organization(w.Org)}{path}", new { name = padding, url = GoodUrl });

        var answer = await w.AssertBothAnswerAlikeAsync(request);

        Assert.Equal(413, answer.Status);
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task AStaleIfMatchIsTheSame412AndChangesNothing(string method)
    {
        var create = await w.Standalone.CreateWebhookAsync(w.Org, GoodUrl, name: "original");
        var id = create.Id;
        var stale = create.ETag!.ToString();
        var current = await w.Standalone.SendAsync(ApiRequest.Json("PATCH", $"{w.Webhooks}/{id}", new { name = "first" }));
        var request = method switch
        {
            "PATCH" => ApiRequest.Json("PATCH", $"{w.Webhooks}/{id}", new { name = "second" }),
            "DELETE" => ApiRequest.Delete($"{w.Webhooks}/{id}"),
            _ => ApiRequest.Post($"{w.Webhooks}/{id}/secret/regenerate"),
        };

        var answer = await w.AssertBothAnswerAlikeAsync(request.WithHeader("If-Match", stale));

        Assert.Equal(412, answer.Status);
        var now = await w.Standalone.SendAsync(ApiRequest.Get($"{w.Webhooks}/{id}"));
        Assert.Equal("first", now.Text("name"));
        Assert.Equal(current.ETag, now.ETag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?since=yesterday")]
    public async Task ARecoverWithoutAValidSinceIsTheSame400AndStartsNothing(string query)
    {
        var webhook = (await w.Standalone.CreateWebhookAsync(w.Org)).Id;

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Post($"{w.Webhooks}/{webhook}/recover{query}"));

        Assert.Equal(400, answer.Status);
        Assert.Empty(w.Functions.Durable.Scheduled);
    }

    [Theory]
    [InlineData("/test")]
    [InlineData("/recover?since=2026-01-01T00:00:00Z")]
    [InlineData("/deliveries/" + UnknownDelivery + "/resend")]
    public async Task ADisabledWebhookRefusesToStartDeliveriesWithTheSame409(string suffix)
    {
        var webhook = (await w.Standalone.CreateWebhookAsync(w.Org, GoodUrl, name: "off", enabled: false)).Id;

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Post($"{w.Webhooks}/{webhook}{suffix}"));

        Assert.Equal(409, answer.Status);
        Assert.Empty(w.Functions.Durable.Scheduled);
    }
}
