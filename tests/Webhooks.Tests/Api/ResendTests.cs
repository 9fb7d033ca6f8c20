using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>A resend sends the same delivery again, under the same id, as a new run; a disabled webhook refuses it.</summary>
[Collection(StorageTests.Name)]
public sealed class ResendTests(AzuriteFixture storage)
{
    [Fact]
    public async Task AResendDeliversTheSameDeliveryIdAgainAsASecondRun()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");

        var response = await h.Api.PostAsync(Routes.Resend(h.Org, webhook, deliveryId), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync();
        Assert.Equal(deliveryId, accepted.GetProperty("id").GetString());
        Assert.Equal("pending", accepted.GetProperty("status").GetString());
        Assert.Equal(Routes.Delivery(h.Org, webhook, deliveryId), response.Headers.Location?.OriginalString);
        await Eventually.HoldsAsync(() => h.ReceivedOn("/hook").Count == 2, "the resent request", details: h.Problems);
        var received = h.ReceivedOn("/hook");
        Assert.All(received, r => Assert.Equal(deliveryId, r.Headers["webhook-id"]));
        Assert.Equal(received[0].Body, received[1].Body);

        var delivery = await Eventually.ReturnsAsync<JsonElement?>(async () =>
        {
            var d = await h.DeliveryAsync(webhook, deliveryId);
            return d.GetProperty("status").GetString() == "succeeded" && d.GetProperty("attemptCount").GetInt32() == 2 ? d : null;
        }, "the second run to be recorded", details: h.Problems);
        var attempts = delivery!.Value.GetProperty("attempts");
        Assert.Equal(2, attempts.GetArrayLength());
        Assert.Equal(1, attempts[0].GetProperty("run").GetInt32());
        Assert.Equal(2, attempts[1].GetProperty("run").GetInt32());
        Assert.Equal(2, attempts[1].GetProperty("number").GetInt32());
        Assert.Equal([deliveryId], (await h.DeliveryPageAsync(webhook)).Ids());
    }

    [Fact]
    public async Task AResendRunsAnExhaustedDeliveryAgainFromTheStartOfItsSchedule()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = LoopbackReceiver.Status(500);
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "exhausted");
        h.Receiver.Respond = LoopbackReceiver.Status(200);

        var response = await h.Api.PostAsync(Routes.Resend(h.Org, webhook, deliveryId), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var delivery = await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");
        Assert.Equal(4, delivery.GetProperty("attemptCount").GetInt32());
        Assert.Equal(2, delivery.GetProperty("attempts")[3].GetProperty("run").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("failureReason").ValueKind);
        Assert.Equal(4, h.ReceivedOn("/hook").Count);
    }

    [Fact]
    public async Task AResendWhileAnAttemptIsRunningIsAConflict()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Receiver.Respond = async context =>
        {
            entered.TrySetResult();
            await release.Task;
            context.Response.StatusCode = 200;
        };
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        HttpResponseMessage response;
        try
        {
            response = await h.Api.PostAsync(Routes.Resend(h.Org, webhook, deliveryId), null);
        }
        finally
        {
            release.TrySetResult();
        }

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var delivery = await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");
        await h.WaitForQueuesToSettleAsync(storage);
        Assert.Single(h.ReceivedOn("/hook"));
        Assert.Equal(1, (await h.DeliveryAsync(webhook, deliveryId)).GetProperty("attemptCount").GetInt32());
        Assert.Equal(1, delivery.GetProperty("attempts")[0].GetProperty("run").GetInt32());
    }

    [Fact]
    public async Task ActionsOnADisabledWebhookAreConflicts()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");
        var patched = await h.Api.PatchAsJsonAsync(Routes.Webhook(h.Org, webhook), new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var root = Routes.Webhook(h.Org, webhook);

        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["resend"] = await h.Api.PostAsync($"{root}/deliveries/{deliveryId}/resend", null),
            ["test"] = await h.Api.PostAsync($"{root}/test", null),
            ["recover"] = await h.Api.PostAsync($"{root}/recover?since=2020-01-01T00:00:00Z", null),
        };

        foreach (var (action, r) in responses)
        {
            Assert.True(r.StatusCode == HttpStatusCode.Conflict, $"{action}: {(int)r.StatusCode}");
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        }
        var delivery = await h.DeliveryAsync(webhook, deliveryId);
        Assert.Equal("succeeded", delivery.GetProperty("status").GetString());
        Assert.Equal(1, delivery.GetProperty("attemptCount").GetInt32());
        await h.WaitForQueuesToSettleAsync(storage);
        Assert.Single(h.ReceivedOn("/hook"));
    }
}
