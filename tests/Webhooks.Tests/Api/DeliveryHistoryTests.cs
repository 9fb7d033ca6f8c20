using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>A webhook's delivery history: newest first, in pages, filtered by status and event type; one delivery shows its event and every attempt.</summary>
[Collection(StorageTests.Name)]
public sealed class DeliveryHistoryTests(AzuriteFixture storage)
{
    [Fact]
    public async Task TheHistoryListsDeliveriesNewestFirstInPages()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var deliveries = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
            deliveries.Add(h.DeliveryIdOf(eventId, webhook));
            await h.WaitForStatusAsync(webhook, deliveries[^1], "succeeded");
        }
        deliveries.Reverse();

        var all = await h.DeliveryPageAsync(webhook);
        Assert.Equal(deliveries, all.Ids());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("nextPageToken").ValueKind);

        var first = await h.DeliveryPageAsync(webhook, "?limit=2");
        Assert.Equal(deliveries[..2], first.Ids());
        var token = first.GetProperty("nextPageToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));

        var second = await h.DeliveryPageAsync(webhook, $"?limit=2&pageToken={Uri.EscapeDataString(token)}");
        Assert.Equal(deliveries[2..], second.Ids());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextPageToken").ValueKind);
    }

    [Fact]
    public async Task TheHistoryFiltersByStatusAndEventType()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, ok1, failing, ok2) = await h.CreateMixedHistoryAsync();

        Assert.Equal([failing], (await h.DeliveryPageAsync(webhook, "?status=exhausted")).Ids());
        Assert.Equal([ok2, ok1], (await h.DeliveryPageAsync(webhook, "?status=succeeded")).Ids());
        Assert.Empty((await h.DeliveryPageAsync(webhook, "?status=pending")).Ids());
        Assert.Equal([failing], (await h.DeliveryPageAsync(webhook, "?eventType=build_failed")).Ids());
        Assert.Equal([ok2, ok1], (await h.DeliveryPageAsync(webhook, "?eventType=build_completed")).Ids());
        Assert.Empty((await h.DeliveryPageAsync(webhook, "?status=succeeded&eventType=build_failed")).Ids());
        Assert.Equal([failing], (await h.DeliveryPageAsync(webhook, "?status=exhausted&eventType=build_failed")).Ids());
    }

    [Theory]
    [InlineData("status=bogus", "status")]
    [InlineData("status=Succeeded", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("pageToken=%25%25%25", "pageToken")]
    [InlineData("pageToken=not%20a%20token!", "pageToken")]
    public async Task ABadListingParameterIsA400NamingIt(string query, string field)
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();

        var response = await h.Api.GetAsync($"{Routes.Deliveries(h.Org, webhook)}?{query}");

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task APageTokenThisListingDidNotIssueIsA400()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (first, _) = await h.CreateWebhookAsync();
        var (second, _) = await h.CreateWebhookAsync(path: "/second");
        for (var i = 0; i < 2; i++)
        {
            var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
            await h.WaitForStatusAsync(first, h.DeliveryIdOf(eventId, first), "succeeded");
            await h.WaitForStatusAsync(second, h.DeliveryIdOf(eventId, second), "succeeded");
        }
        var issued = (await h.DeliveryPageAsync(first, "?limit=1")).GetProperty("nextPageToken").GetString()!;
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("zzz zzz"));
        var root = Routes.Webhooks(h.Org);

        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["another webhook's token"] = await h.Api.GetAsync($"{root}/{second}/deliveries?pageToken={issued}"),
            ["a forged token"] = await h.Api.GetAsync($"{root}/{first}/deliveries?pageToken={forged}"),
        };

        var accepted = new List<string>();
        foreach (var (token, response) in responses.Where(r => r.Value.StatusCode != System.Net.HttpStatusCode.BadRequest))
        {
            accepted.Add($"{token}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.True(accepted.Count == 0, "tokens this listing did not issue were accepted: " + string.Join("; ", accepted));
        foreach (var response in responses.Values)
        {
            await response.AssertFieldErrorAsync("pageToken");
        }
    }

    [Fact]
    public async Task ADeliveryShowsItsEventAndEveryAttempt()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = ApiTestHelpers.TryLaterOnceThenOk();
        var (webhook, _) = await h.CreateWebhookAsync();
        var before = DateTimeOffset.UtcNow;
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org, "build_completed", project: "my-app", message: "Shipped"));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);

        var delivery = await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");

        Assert.Equal(deliveryId, delivery.GetProperty("id").GetString());
        Assert.Equal(webhook, delivery.GetProperty("webhookId").GetString());
        Assert.Equal("build_completed", delivery.GetProperty("eventType").GetString());
        var e = delivery.GetProperty("event");
        Assert.Equal(eventId, e.GetProperty("id").GetString());
        Assert.Equal("build_completed", e.GetProperty("type").GetString());
        Assert.Equal(h.Org, e.GetProperty("organization").GetProperty("id").GetString());
        Assert.Equal("my-app", e.GetProperty("project").GetString());
        Assert.Equal("Shipped", e.GetProperty("message").GetString());

        var received = h.ReceivedOn("/hook");
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.Equal(2, received.Count);
        for (var i = 0; i < 2; i++)
        {
            var attempt = attempts[i];
            Assert.Equal(i + 1, attempt.GetProperty("number").GetInt32());
            Assert.InRange(attempt.GetProperty("attemptedAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow);
            Assert.True(attempt.GetProperty("durationMs").GetDouble() >= 0);
            Assert.Equal(h.Receiver.Url.ToString(), attempt.GetProperty("url").GetString());
            var request = attempt.GetProperty("request");
            Assert.Equal(received[i].Body, request.GetProperty("body").GetString());
            var headers = request.GetProperty("headers");
            Assert.Equal(deliveryId, headers.GetProperty("webhook-id").GetString());
            Assert.Equal(received[i].Headers["webhook-signature"], headers.GetProperty("webhook-signature").GetString());
            Assert.Equal(received[i].Headers["webhook-timestamp"], headers.GetProperty("webhook-timestamp").GetString());
            Assert.StartsWith("application/json", headers.GetProperty("Content-Type").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, attempt.GetProperty("error").ValueKind);
        }
        Assert.True(attempts[1].GetProperty("attemptedAt").GetDateTimeOffset() > attempts[0].GetProperty("attemptedAt").GetDateTimeOffset());
        var failed = attempts[0].GetProperty("response");
        Assert.Equal(503, failed.GetProperty("statusCode").GetInt32());
        Assert.Equal("first", failed.GetProperty("headers").GetProperty("X-Receiver").GetString());
        Assert.Equal("try later", failed.GetProperty("body").GetString());
        var succeeded = attempts[1].GetProperty("response");
        Assert.Equal(200, succeeded.GetProperty("statusCode").GetInt32());
        Assert.Equal("second", succeeded.GetProperty("headers").GetProperty("X-Receiver").GetString());
        Assert.Equal("""{"ok":true}""", succeeded.GetProperty("body").GetString());
    }

    [Fact]
    public async Task AResponseBodyIsKeptOnlyUpToTheConfiguredSize()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Sending:MaxResponseBodyBytes", "100"));
        var reply = string.Concat(Enumerable.Range(0, 60).Select(i => $"{i:D4}"));
        h.Receiver.Respond = context => context.Response.WriteAsync(reply);
        var (webhook, _) = await h.CreateWebhookAsync();

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        var body = delivery.GetProperty("attempts")[0].GetProperty("response").GetProperty("body").GetString();
        Assert.Equal(reply[..100], body);
    }

    [Fact]
    public async Task AResponseBodyCutInsideACharacterKeepsOnlyWholeCharactersTheEndpointSent()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Sending:MaxResponseBodyBytes", "100"));
        // 1 + 2 × 60 bytes: the 100-byte limit falls inside the 50th 'é'.
        var reply = "a" + new string('é', 60);
        h.Receiver.Respond = context => context.Response.WriteAsync(reply);
        var (webhook, _) = await h.CreateWebhookAsync();

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        var body = delivery.GetProperty("attempts")[0].GetProperty("response").GetProperty("body").GetString()!;
        Assert.True(Encoding.UTF8.GetByteCount(body) <= 100, $"kept {Encoding.UTF8.GetByteCount(body)} bytes: {body}");
        Assert.StartsWith(body, reply, StringComparison.Ordinal);
        Assert.Equal("a" + new string('é', 49), body);
    }
}
