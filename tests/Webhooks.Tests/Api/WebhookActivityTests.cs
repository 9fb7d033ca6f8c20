using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>A webhook's last triggered time and last status code follow its deliveries' attempts.</summary>
[Collection(StorageTests.Name)]
public sealed class WebhookActivityTests(AzuriteFixture storage)
{
    [Fact]
    public async Task LastTriggeredAtAndLastStatusCodeFollowTheLatestAttempt()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = LoopbackReceiver.Status(202);
        var (webhook, _) = await h.CreateWebhookAsync();
        var fresh = await h.WebhookAsync(webhook);
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("lastTriggeredAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("lastStatusCode").ValueKind);

        var first = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org)), webhook);
        var firstAttempt = LastAttemptAt(await h.WaitForStatusAsync(webhook, first, "succeeded"));
        await WaitForActivityAsync(h, webhook, firstAttempt, 202);

        h.Receiver.Respond = LoopbackReceiver.Status(500);
        var second = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org)), webhook);
        var lastAttempt = LastAttemptAt(await h.WaitForStatusAsync(webhook, second, "exhausted"));
        Assert.True(lastAttempt > firstAttempt);
        await WaitForActivityAsync(h, webhook, lastAttempt, 500);
    }

    [Fact]
    public async Task AnAttemptWithoutAResponseLeavesNoLastStatusCode()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var first = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org)), webhook);
        await WaitForActivityAsync(h, webhook, LastAttemptAt(await h.WaitForStatusAsync(webhook, first, "succeeded")), 200);

        h.Receiver.Respond = context =>
        {
            context.Abort();
            return Task.CompletedTask;
        };
        var second = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org)), webhook);
        var exhausted = await h.WaitForStatusAsync(webhook, second, "exhausted");

        await WaitForActivityAsync(h, webhook, LastAttemptAt(exhausted), null);
    }

    private static DateTimeOffset LastAttemptAt(JsonElement delivery)
    {
        var attempts = delivery.GetProperty("attempts");
        return attempts[attempts.GetArrayLength() - 1].GetProperty("attemptedAt").GetDateTimeOffset();
    }

    private static async Task WaitForActivityAsync(DeliveryHarness h, string webhook, DateTimeOffset triggeredAt, int? statusCode)
    {
        var seen = "";
        await Eventually.HoldsAsync(async () =>
        {
            var w = await h.WebhookAsync(webhook);
            seen = w.ToString();
            var at = w.GetProperty("lastTriggeredAt");
            var code = w.GetProperty("lastStatusCode");
            return at.ValueKind == JsonValueKind.String && at.GetDateTimeOffset() == triggeredAt
                && (statusCode is { } expected ? code.ValueKind == JsonValueKind.Number && code.GetInt32() == expected : code.ValueKind == JsonValueKind.Null);
        }, $"the webhook's last activity to be {triggeredAt:O} with status {statusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}",
        details: () => $"last seen: {seen} {h.Problems()}");
    }
}
