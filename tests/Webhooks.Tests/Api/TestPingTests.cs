using System.Net;
using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>A test ping sends a <c>webhook.test</c> event to one webhook, whatever it subscribes to.</summary>
[Collection(StorageTests.Name)]
public sealed class TestPingTests(AzuriteFixture storage)
{
    [Fact]
    public async Task ATestPingReachesAWebhookThatSubscribesToOtherTypesOnly()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync(events: new[] { "build_failed" });
        var (bystander, _) = await h.CreateWebhookAsync(path: "/bystander");

        var response = await h.Api.PostAsync(Routes.TestPing(h.Org, webhook), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync();
        var deliveryId = accepted.GetProperty("id").GetString()!;
        Assert.Equal("webhook.test", accepted.GetProperty("eventType").GetString());
        Assert.Equal(webhook, accepted.GetProperty("webhookId").GetString());
        var delivery = await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");
        Assert.Equal("webhook.test", delivery.GetProperty("event").GetProperty("type").GetString());

        var received = Assert.Single(h.ReceivedOn("/hook"));
        Assert.Equal(deliveryId, received.Headers["webhook-id"]);
        var body = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("webhook.test", body.GetProperty("event").GetString());
        Assert.Equal(webhook, body.GetProperty("data").GetProperty("webhookId").GetString());
        Assert.Equal(h.Org, body.GetProperty("organization").GetProperty("id").GetString());

        await h.WaitForQueuesToSettleAsync(storage);
        Assert.Empty(h.ReceivedOn("/bystander"));
        Assert.Empty((await h.DeliveryPageAsync(bystander)).Ids());
    }
}
