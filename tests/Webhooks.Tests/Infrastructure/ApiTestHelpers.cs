using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Storage;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Helpers for the delivery API tests: events of any organization, the app's queues, history pages, decoded table dumps and log text.</summary>
public static class ApiTestHelpers
{
    /// <summary>Posts to <paramref name="org"/>'s ingestion route; returns the response unread. Only for tests whose subject is that route: others publish with <see cref="DeliveryWorld.PublishAsync"/>.</summary>
    public static Task<HttpResponseMessage> PostEventAsync(this HttpClient api, string org, JsonNode envelope) =>
        api.PostAsync(Routes.Events(org), new StringContent(envelope.ToJsonString(), Encoding.UTF8, "application/json"));

    /// <summary>A client of the app's events queue that sends text exactly as given.</summary>
    public static async Task<QueueClient> RawEventsQueueAsync(AzuriteFixture storage, PipelineApp app)
    {
        var queue = new QueueClient(storage.ConnectionString, app.EventsQueue);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    /// <summary>Waits until the events queue and the delivery queue hold no message, visible or hidden: every event and step is settled.</summary>
    public static Task WaitForQueuesToSettleAsync(this DeliveryHarness h, AzuriteFixture storage, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(async () =>
            await CountAsync(storage, h.App.EventsQueue) == 0 && await CountAsync(storage, h.App.DeliveriesQueue) == 0,
            "the events and delivery queues to be empty", timeout, h.Problems);

    private static async Task<int> CountAsync(AzuriteFixture storage, string queue)
    {
        var client = new QueueClient(storage.ConnectionString, queue);
        if (!await client.ExistsAsync())
        {
            return 0;
        }
        return (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
    }

    /// <summary>The deliveries of one webhook as the listing shows them (first page).</summary>
    public static async Task<JsonElement> DeliveryPageAsync(this DeliveryHarness h, string webhookId, string query = "")
    {
        var response = await h.Api.GetAsync($"{Routes.Deliveries(h.Org, webhookId)}{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"listing failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    public static string[] Ids(this JsonElement page) =>
        [.. page.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("id").GetString()!)];

    /// <summary>Every log line the app wrote: message, structured state, scopes and exception.</summary>
    public static string LogText(this PipelineApp app)
    {
        var text = new StringBuilder();
        foreach (var record in app.Logs.GetSnapshot())
        {
            text.Append(record.Category).Append(' ').Append(record.Message).Append('\n');
            foreach (var (key, value) in record.StructuredState ?? [])
            {
                text.Append("  ").Append(key).Append('=').Append(value).Append('\n');
            }
            foreach (var scope in record.Scopes)
            {
                text.Append("  scope ").Append(scope).Append('\n');
            }
            if (record.Exception is { } e)
            {
                text.Append("  ").Append(e).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The delivery as the store holds it now (main row).</summary>
    public static Task<DeliveryRecord?> StoredDeliveryAsync(this DeliveryHarness h, string webhookId, string deliveryId) =>
        h.App.Services.GetRequiredService<DeliveryStore>().GetAsync(new DeliveryKey(h.Org, webhookId, deliveryId), CancellationToken.None);

    /// <summary>
    /// A webhook whose history holds, oldest first, a succeeded build_completed, an exhausted
    /// build_failed (the receiver fails that type) and another succeeded build_completed.
    /// </summary>
    public static async Task<(string Webhook, string Ok1, string Failing, string Ok2)> CreateMixedHistoryAsync(this DeliveryHarness h)
    {
        h.Receiver.Respond = context =>
        {
            context.Response.StatusCode = context.Request.Headers["X-Webhook-Event"] == "build_failed" ? 500 : 200;
            return Task.CompletedTask;
        };
        var (webhook, _) = await h.CreateWebhookAsync();
        var ok1 = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org, "build_completed")), webhook);
        await h.WaitForStatusAsync(webhook, ok1, "succeeded");
        var failing = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org, "build_failed")), webhook);
        await h.WaitForStatusAsync(webhook, failing, "exhausted");
        var ok2 = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org, "build_completed")), webhook);
        await h.WaitForStatusAsync(webhook, ok2, "succeeded");
        return (webhook, ok1, failing, ok2);
    }

    /// <summary>A receiver that answers its first request 503 "try later" and every later one 200 with a JSON body, each marked in an X-Receiver header.</summary>
    public static Func<Microsoft.AspNetCore.Http.HttpContext, Task> TryLaterOnceThenOk() => LoopbackReceiver.FirstThen(
        context => Answer(context, 503, "first", "try later"),
        context => Answer(context, 200, "second", """{"ok":true}"""));

    private static Task Answer(Microsoft.AspNetCore.Http.HttpContext context, int status, string marker, string body)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["X-Receiver"] = marker;
        return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, body);
    }
}
