using System.Net;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>Unknown webhooks and deliveries, and those of another organization or webhook, are 404 problems on every delivery route.</summary>
[Collection(StorageTests.Name)]
public sealed class DeliveryNotFoundTests(AzuriteFixture storage)
{
    private const string UnknownWebhook = "wh_0123456789abcdefghjkmnpqrs";
    private const string UnknownDelivery = "dlv_0123456789abcdefghjkmnpqrs";

    [Fact]
    public async Task UnknownWebhooksAndDeliveriesAre404s()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var (sibling, _) = await h.CreateWebhookAsync(events: new[] { "build_failed" }, path: "/sibling");
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");
        var root = Routes.Webhooks(h.Org);

        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["list, unknown webhook"] = await h.Api.GetAsync($"{root}/{UnknownWebhook}/deliveries"),
            ["list, malformed webhook id"] = await h.Api.GetAsync($"{root}/nope/deliveries"),
            ["get, unknown delivery"] = await h.Api.GetAsync($"{root}/{webhook}/deliveries/{UnknownDelivery}"),
            ["get, malformed delivery id"] = await h.Api.GetAsync($"{root}/{webhook}/deliveries/dlv_x"),
            ["get, unknown webhook"] = await h.Api.GetAsync($"{root}/{UnknownWebhook}/deliveries/{deliveryId}"),
            ["get, another webhook's delivery"] = await h.Api.GetAsync($"{root}/{sibling}/deliveries/{deliveryId}"),
            ["resend, unknown delivery"] = await h.Api.PostAsync($"{root}/{webhook}/deliveries/{UnknownDelivery}/resend", null),
            ["resend, another webhook's delivery"] = await h.Api.PostAsync($"{root}/{sibling}/deliveries/{deliveryId}/resend", null),
            ["test, unknown webhook"] = await h.Api.PostAsync($"{root}/{UnknownWebhook}/test", null),
            ["recover, unknown webhook"] = await h.Api.PostAsync($"{root}/{UnknownWebhook}/recover?since=2020-01-01T00:00:00Z", null),
        };

        AssertAllNotFound(responses);
        await h.WaitForQueuesToSettleAsync(storage);
        Assert.Single(h.ReceivedOn("/hook"));
        Assert.Empty(h.ReceivedOn("/sibling"));
    }

    [Fact]
    public async Task AnotherOrganizationCannotSeeOrActOnAWebhooksDeliveries()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");
        var intruder = Routes.Webhook(ApiCalls.NewOrganization(), webhook);

        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["list"] = await h.Api.GetAsync($"{intruder}/deliveries"),
            ["get"] = await h.Api.GetAsync($"{intruder}/deliveries/{deliveryId}"),
            ["resend"] = await h.Api.PostAsync($"{intruder}/deliveries/{deliveryId}/resend", null),
            ["test"] = await h.Api.PostAsync($"{intruder}/test", null),
            ["recover"] = await h.Api.PostAsync($"{intruder}/recover?since=2020-01-01T00:00:00Z", null),
        };

        AssertAllNotFound(responses);
        await h.WaitForQueuesToSettleAsync(storage);
        Assert.Single(h.ReceivedOn("/hook"));
        var delivery = await h.DeliveryAsync(webhook, deliveryId);
        Assert.Equal(1, delivery.GetProperty("attemptCount").GetInt32());
    }

    private static void AssertAllNotFound(Dictionary<string, HttpResponseMessage> responses)
    {
        var wrong = responses
            .Where(r => r.Value.StatusCode != HttpStatusCode.NotFound || r.Value.Content.Headers.ContentType?.MediaType != "application/problem+json")
            .Select(r => $"{r.Key}: {(int)r.Value.StatusCode} {r.Value.Content.Headers.ContentType?.MediaType}")
            .ToArray();
        Assert.True(wrong.Length == 0, "not 404 problems: " + string.Join("; ", wrong));
    }
}
