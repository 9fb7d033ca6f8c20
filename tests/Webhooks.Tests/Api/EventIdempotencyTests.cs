using System.Text;
using Webhooks.Model;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>An event id is an event's identity within its organization: seen again it starts nothing; in another organization it is another event.</summary>
[Collection(StorageTests.Name)]
public sealed class EventIdempotencyTests(AzuriteFixture storage)
{
    [Fact]
    public async Task AnEventPublishedAgainAfterItWasDeliveredStartsNoSecondDelivery()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var envelope = TestEvents.Envelope(h.Org);
        var eventId = await h.PublishAsync(envelope);
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        await h.PublishAsync(envelope);
        await h.WaitForQueuesToSettleAsync(storage);

        Assert.Single(h.ReceivedOn("/hook"));
        var page = await h.DeliveryPageAsync(webhook);
        Assert.Equal([h.DeliveryIdOf(eventId, webhook)], page.Ids());
        Assert.Equal(1, page.GetProperty("data")[0].GetProperty("attemptCount").GetInt32());
    }

    [Fact]
    public async Task AnEventQueuedTwiceAtOnceStartsOneDelivery()
    {
        // A short claim, so the copy that finds the delivery claimed comes back soon.
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Sending:Timeout", "00:00:02"), ("Webhooks:Delivery:LeaseMargin", "00:00:01"));
        var (webhook, _) = await h.CreateWebhookAsync();
        var text = Convert.ToBase64String(Encoding.UTF8.GetBytes(TestEvents.Envelope(h.Org, id: "evt_twice").ToJsonString()));
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, h.App);

        await Task.WhenAll(queue.SendMessageAsync(text), queue.SendMessageAsync(text));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf("evt_twice", webhook), "succeeded");
        await h.WaitForQueuesToSettleAsync(storage);

        Assert.Single(h.ReceivedOn("/hook"));
        var page = await h.DeliveryPageAsync(webhook);
        Assert.Single(page.Ids());
        Assert.Equal(1, page.GetProperty("data")[0].GetProperty("attemptCount").GetInt32());
    }

    [Fact]
    public async Task AnEventIdWithCharactersTableKeysRefuseIsStillRecognisedWhenSeenAgain()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var envelope = TestEvents.Envelope(h.Org, id: "build/42#retry?1\\é");
        var eventId = await h.PublishAsync(envelope);
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        await h.PublishAsync(envelope);
        await h.WaitForQueuesToSettleAsync(storage);

        Assert.Single(h.ReceivedOn("/hook"));
        Assert.Equal([h.DeliveryIdOf(eventId, webhook)], (await h.DeliveryPageAsync(webhook)).Ids());
    }

    [Fact]
    public async Task TheSameEventIdInAnotherOrganizationIsASeparateEvent()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var other = ApiCalls.NewOrganization();
        var (mine, _) = await h.CreateWebhookAsync("/mine");
        var (theirs, _) = await h.CreateWebhookAsync("/theirs", org: other);
        const string eventId = "evt_shared_id";

        await h.PublishAsync(TestEvents.Envelope(h.Org, id: eventId));
        await h.WaitForStatusAsync(mine, h.DeliveryIdOf(eventId, mine), "succeeded");
        await h.PublishAsync(TestEvents.Envelope(other, id: eventId));
        await Eventually.HoldsAsync(() => h.ReceivedOn("/theirs").Count == 1, "the other organization's delivery", details: h.Problems);
        await h.WaitForQueuesToSettleAsync(storage);

        Assert.Single(h.ReceivedOn("/mine"));
        var theirDelivery = ResourceIds.DeliveryId(other, eventId, theirs);
        Assert.Equal(theirDelivery, Assert.Single(h.ReceivedOn("/theirs")).Headers["webhook-id"]);
        Assert.NotEqual(h.DeliveryIdOf(eventId, mine), theirDelivery);
        var delivered = await (await h.Api.GetAsync(Routes.Delivery(other, theirs, theirDelivery))).ReadJsonAsync();
        Assert.Equal(eventId, delivered.GetProperty("eventId").GetString());
        Assert.Equal("succeeded", delivered.GetProperty("status").GetString());
    }
}
