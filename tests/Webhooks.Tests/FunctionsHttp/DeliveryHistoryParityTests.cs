using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>A webhook's delivery history reads the same through an HTTP function as through the standalone host: listings, filters, pages, bad parameters, one delivery with its attempts.</summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class DeliveryHistoryParityTests(AzuriteFixture storage)
{
    [Fact]
    public async Task ListingDeliveriesIsTheSameWithEveryFilterAndPage()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, ok1, failing, ok2) = await h.CreateMixedHistoryAsync();
        var functions = new FunctionsHttpHost(h.App.Services);
        var root = Routes.Deliveries(h.Org, webhook);

        Task<ApiAnswer> Both(string query) => HostParity.AssertBothAnswerAlikeAsync(h.Api, functions, ApiRequest.Get(root + query));

        Assert.Equal([ok2, failing, ok1], Ids(await Both("")));
        Assert.Equal([ok2, ok1], Ids(await Both("?status=succeeded")));
        Assert.Equal([failing], Ids(await Both("?status=exhausted")));
        Assert.Empty(Ids(await Both("?status=pending")));
        Assert.Equal([failing], Ids(await Both("?eventType=build_failed")));
        Assert.Equal([ok1], Ids(await Both("?status=succeeded&eventType=build_completed&limit=2&pageToken=" + Uri.EscapeDataString((await Both("?status=succeeded&eventType=build_completed&limit=1")).Text("nextPageToken")!))));
        var firstPage = await Both("?limit=2");
        Assert.Equal([ok2, failing], Ids(firstPage));
        Assert.Equal([ok1], Ids(await Both("?limit=2&pageToken=" + Uri.EscapeDataString(firstPage.Text("nextPageToken")!))));
    }

    [Fact]
    public async Task ABadListingParameterIsTheSame400()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        for (var i = 0; i < 2; i++)
        {
            var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
            await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        }
        var functions = new FunctionsHttpHost(h.App.Services);
        var root = Routes.Deliveries(h.Org, webhook);
        var otherFilter = (await h.DeliveryPageAsync(webhook, "?limit=1&status=succeeded")).GetProperty("nextPageToken").GetString()!;
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("zzz zzz"));

        foreach (var query in new[]
        {
            "?pageToken=not%20a%20token!",
            "?pageToken=%25%25%25",
            "?pageToken=" + forged,
            "?limit=1&pageToken=" + otherFilter,
            "?status=bogus",
            "?status=Succeeded",
            "?limit=0",
            "?limit=ten",
        })
        {
            var answer = await HostParity.AssertBothAnswerAlikeAsync(h.Api, functions, ApiRequest.Get(root + query));
            Assert.True(answer.Status == StatusCodes.Status400BadRequest, $"{query}: {answer}");
        }
    }

    [Fact]
    public async Task ADeliveryWithItsEventAndAttemptsIsTheSame()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = ApiTestHelpers.TryLaterOnceThenOk();
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org, "build_completed", message: "Shipped"));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");
        var functions = new FunctionsHttpHost(h.App.Services);

        var answer = await HostParity.AssertBothAnswerAlikeAsync(h.Api, functions, ApiRequest.Get(Routes.Delivery(h.Org, webhook, deliveryId)));

        Assert.Equal(200, answer.Status);
        Assert.Equal(2, answer.Json!["attempts"]!.AsArray().Count);
        Assert.Equal(eventId, answer.Json!["event"]!["id"]!.GetValue<string>());
    }

    private static string[] Ids(ApiAnswer page) =>
        [.. page.Json!["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>())];
}
