using System.Text;
using System.Text.Json.Nodes;
using Webhooks.Events;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>
/// The quotas answer alike in both hosts: the webhooks an organization may have (409), the events
/// it may publish per second over HTTP (429 with Retry-After), and the largest event (413, the
/// queue's own limit).
/// </summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class QuotaParityTests(AzuriteFixture storage)
{
    private const string GoodUrl = "https://receiver.example.com/hooks";

    [Fact]
    public async Task CreatingAWebhookOverTheOrganizationsLimitIsTheSame409AndAFreedPlaceCanBeReused()
    {
        await using var w = new ParityWorld(new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Quotas:MaxWebhooksPerOrganization"] = "2" }));
        var first = (await w.Standalone.CreateWebhookAsync(w.Org, name: "one")).Id;
        await w.Standalone.CreateWebhookAsync(w.Org, name: "two");

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", w.Webhooks, new { name = "three", url = GoodUrl }));

        Assert.Equal(409, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Contains("2", answer.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(2, (await w.Standalone.SendAsync(ApiRequest.Get(w.Webhooks))).Json!["data"]!.AsArray().Count);
        Assert.Equal(204, (await w.Functions.SendAsync(ApiRequest.Delete($"{w.Webhooks}/{first}"))).Status);
        Assert.Equal(201, (await w.Functions.SendAsync(ApiRequest.Json("POST", w.Webhooks, new { name = "three", url = GoodUrl }))).Status);
        Assert.Equal(409, (await w.Standalone.SendAsync(ApiRequest.Json("POST", w.Webhooks, new { name = "four", url = GoodUrl }))).Status);
    }

    [Fact]
    public async Task PublishingFasterThanTheOrganizationsRateIsTheSame429WithRetryAfter()
    {
        await using var w = new ParityWorld(new PipelineApp(storage, settings: new Dictionary<string, string?>
        {
            ["Webhooks:Driver:Enabled"] = "false",
            // One event now, the next in 1,000 seconds: nothing refills the bucket during the test.
            ["Webhooks:Quotas:EventsPerSecondPerOrganization"] = "0.001",
            ["Webhooks:Quotas:EventBurstPerOrganization"] = "2",
        }));
        var events = Routes.Events(w.Org);
        Assert.Equal(202, (await w.Standalone.SendAsync(ApiRequest.Json("POST", events, TestEvents.Envelope(w.Org).ToJsonString()))).Status);
        Assert.Equal(202, (await w.Functions.SendAsync(ApiRequest.Json("POST", events, TestEvents.Envelope(w.Org).ToJsonString()))).Status);

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", events, TestEvents.Envelope(w.Org, id: "evt_over_the_rate").ToJsonString()));

        Assert.Equal(429, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.True(int.TryParse(answer.RetryAfter, out var seconds) && seconds >= 1, $"Retry-After: {answer.RetryAfter}");
        var other = ApiCalls.NewOrganization();
        Assert.Equal(202, (await w.Standalone.SendAsync(ApiRequest.Json("POST", Routes.Events(other), TestEvents.Envelope(other).ToJsonString()))).Status);
    }

    [Fact]
    public async Task AnEventLargerThanTheQueueTakesIsTheSame413NamingTheLimit()
    {
        await using var w = new ParityWorld(new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Driver:Enabled"] = "false" }));
        var envelope = Padded(TestEvents.Envelope(w.Org, id: "evt_too_large_for_the_queue"), EventEnvelopeReader.MaxEventBytes + 1);

        var answer = await w.AssertBothAnswerAlikeAsync(new ApiRequest("POST", Routes.Events(w.Org), envelope, "application/json"));

        Assert.Equal(413, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Contains(EventEnvelopeReader.MaxEventBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEventOfExactlyTheQueuesLimitIsAccepted()
    {
        await using var app = new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Driver:Enabled"] = "false" });
        using var api = app.CreateApiClient();
        var org = ApiCalls.NewOrganization();
        var envelope = Padded(TestEvents.Envelope(org), EventEnvelopeReader.MaxEventBytes);

        var answer = await api.SendAsync(new ApiRequest("POST", Routes.Events(org), envelope, "application/json"));

        Assert.True(answer.Status == 202, answer.ToString());
    }

    /// <summary>The envelope as UTF-8 JSON of exactly <paramref name="size"/> bytes, padded in its data.</summary>
    private static byte[] Padded(JsonObject envelope, int size)
    {
        envelope["data"]!["log"] = "";
        var bare = Encoding.UTF8.GetByteCount(envelope.ToJsonString());
        envelope["data"]!["log"] = new string('x', size - bare);
        var body = Encoding.UTF8.GetBytes(envelope.ToJsonString());
        Assert.Equal(size, body.Length);
        return body;
    }
}
