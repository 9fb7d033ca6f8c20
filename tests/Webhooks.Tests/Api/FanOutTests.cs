using System.Net;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>
/// An event reaches exactly the enabled webhooks of its organization that subscribe to its type
/// and whose project filter admits its project; each delivery is recorded as pending before it is sent.
/// </summary>
[Collection(StorageTests.Name)]
public sealed class FanOutTests(AzuriteFixture storage)
{
    [Fact]
    public async Task OnlyMatchingEnabledWebhooksOfTheEventsOrganizationGetADelivery()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var other = ApiCalls.NewOrganization();
        var expected = new Dictionary<string, string>
        {
            ["/all"] = (await h.CreateWebhookAsync("/all")).Id,
            ["/type"] = (await h.CreateWebhookAsync("/type", events: new[] { "build_failed", "build_completed" })).Id,
            ["/include"] = (await h.CreateWebhookAsync("/include", projects: new { include = new[] { " MY-APP ", "web" } })).Id,
            ["/exclude-other"] = (await h.CreateWebhookAsync("/exclude-other", projects: new { exclude = new[] { "other-app" } })).Id,
        };
        var unexpected = new Dictionary<string, string>
        {
            ["/other-type"] = (await h.CreateWebhookAsync("/other-type", events: new[] { "build_failed" })).Id,
            ["/disabled"] = (await h.CreateWebhookAsync("/disabled", enabled: false)).Id,
            ["/include-other"] = (await h.CreateWebhookAsync("/include-other", projects: new { include = new[] { "other-app" } })).Id,
            ["/exclude"] = (await h.CreateWebhookAsync("/exclude", projects: new { exclude = new[] { "My-App" } })).Id,
        };
        var (foreign, _) = await h.CreateWebhookAsync("/other-org", org: other);

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org, project: "my-app"));

        foreach (var webhook in expected.Values)
        {
            var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
            Assert.Equal(eventId, delivery.GetProperty("eventId").GetString());
        }
        await h.WaitForQueuesToSettleAsync(storage);
        foreach (var (path, webhook) in expected)
        {
            Assert.Equal(h.DeliveryIdOf(eventId, webhook), Assert.Single(h.ReceivedOn(path)).Headers["webhook-id"]);
        }
        foreach (var (path, webhook) in unexpected)
        {
            Assert.Empty(h.ReceivedOn(path));
            Assert.Empty((await h.DeliveryPageAsync(webhook)).Ids());
        }
        Assert.Empty(h.ReceivedOn("/other-org"));
        var foreignPage = await (await h.Api.GetAsync(Routes.Deliveries(other, foreign))).ReadJsonAsync();
        Assert.Empty(foreignPage.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task AnEventWithoutAProjectSkipsWebhooksWithAnIncludeList()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (include, _) = await h.CreateWebhookAsync("/include", projects: new { include = new[] { "my-app" } });
        var (exclude, _) = await h.CreateWebhookAsync("/exclude", projects: new { exclude = new[] { "my-app" } });

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org, project: null));

        await h.WaitForStatusAsync(exclude, h.DeliveryIdOf(eventId, exclude), "succeeded");
        await h.WaitForQueuesToSettleAsync(storage);
        Assert.Single(h.ReceivedOn("/exclude"));
        Assert.Empty(h.ReceivedOn("/include"));
        Assert.Empty((await h.DeliveryPageAsync(include)).Ids());
    }

    [Fact]
    public async Task AnEventNoWebhookWantsIsConsumedWithoutADelivery()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync(events: new[] { "build_completed" });

        await h.PublishAsync(TestEvents.Envelope(h.Org, type: "update_failed"));

        await h.WaitForQueuesToSettleAsync(storage);
        Assert.Empty(h.Receiver.Received);
        Assert.Empty((await h.DeliveryPageAsync(webhook)).Ids());
        var poison = new Azure.Storage.Queues.QueueClient(storage.ConnectionString, h.App.EventsQueue + "-poison");
        Assert.False(await poison.ExistsAsync() && (await poison.PeekMessagesAsync()).Value.Length > 0, "the event was poisoned");
    }

    [Fact]
    public async Task ADeliveryIsRecordedAsPendingBeforeItIsSent()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        DeliveryRecord? stored = null;
        string? shown = null;
        h.Receiver.Respond = async context =>
        {
            var deliveryId = context.Request.Headers["webhook-id"].ToString();
            stored = await h.StoredDeliveryAsync(webhook, deliveryId);
            var response = await h.Api.GetAsync(Routes.Delivery(h.Org, webhook, deliveryId));
            shown = response.StatusCode == HttpStatusCode.OK ? (await response.ReadJsonAsync()).GetProperty("status").GetString() : $"HTTP {(int)response.StatusCode}";
            context.Response.StatusCode = 200;
        };

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        Assert.NotNull(stored);
        Assert.Equal(DeliveryStatus.Pending, stored.Status);
        Assert.Equal(0, stored.AttemptCount);
        Assert.Equal(eventId, stored.EventId);
        Assert.Equal("pending", shown);
        Assert.Equal(1, delivery.GetProperty("attemptCount").GetInt32());
    }
}
