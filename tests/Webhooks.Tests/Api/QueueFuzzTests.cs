using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FsCheck.Fluent;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>
/// The events queue under a few hundred bad messages of every kind (not JSON, not base64, wrong
/// types, invalid Unicode, oversized and deep documents, repeated properties) interleaved with good
/// events: each bad one lands in the poison queue exactly once, on its first try, with a reason; each
/// good one is delivered once.
/// </summary>
[Collection(StorageTests.Name)]
[Trait("Category", "Slow")]
public sealed class QueueFuzzTests(AzuriteFixture storage)
{
    private const int BadMessages = 240;
    private const int GoodEvery = 10;

    private static readonly string[] RawFaults =
        ["not-base64", "truncated-json", "json-array", "json-null", "json-string", "deep", "duplicate-id", "empty-object", "too-large-plain", "whitespace"];

    [Fact]
    public async Task EveryBadMessageIsPoisonedOnceWithAReasonAndEveryGoodEventBetweenIsDelivered()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, h.App);
        var faults = PoisonEventTests.FieldOf.Keys.Concat(["not-json", "missing-id", "missing-type", "missing-organization", "unknown-type"]).Concat(RawFaults).ToArray();
        var picks = Gen.Sample(Gen.Elements(faults).SelectMany(f => Gen.Elements(true, false).Select(b => (Fault: f, Base64: b))), BadMessages, new FsCheck.Rnd(11UL, 0x9E3779B97F4A7C15UL), 10);

        var bad = new Dictionary<string, (string Fault, string Text)>();
        var good = new List<string>();
        for (var i = 0; i < picks.Length; i++)
        {
            if (i % GoodEvery == 0)
            {
                var e = TestEvents.Envelope(h.Org);
                await queue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(e.ToJsonString())));
                good.Add(e["id"]!.GetValue<string>());
            }
            var text = Message(picks[i].Fault, picks[i].Base64, h.Org);
            var sent = await queue.SendMessageAsync(text);
            bad[sent.Value.MessageId] = (picks[i].Fault, text);
        }

        var reasons = new TableServiceClient(storage.ConnectionString).GetTableClient("poisonmessages");
        var poisonQueue = new QueueClient(storage.ConnectionString, h.App.EventsQueue + "-poison");
        var rows = await Eventually.ReturnsAsync(async () =>
        {
            var found = new List<TableEntity>();
            await foreach (var row in reasons.QueryAsync<TableEntity>(r => r.PartitionKey == poisonQueue.Name))
            {
                found.Add(row);
            }
            return found.Count(r => r.GetString("PoisonMessageId") is not null) >= bad.Count ? found : null;
        }, $"{bad.Count} poison reasons", TimeSpan.FromMinutes(3), h.Problems);
        foreach (var eventId in good)
        {
            await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded", TimeSpan.FromMinutes(2));
        }

        Assert.Equal(bad.Keys.Order(StringComparer.Ordinal), rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        foreach (var row in rows)
        {
            var (fault, _) = bad[row.RowKey];
            var reason = row.GetString("Reason");
            Assert.False(string.IsNullOrWhiteSpace(reason), fault);
            Assert.True(reason.Length <= 4000, $"{fault}: a reason of {reason.Length} characters");
            Assert.True(row.GetInt32("DequeueCount") == 1, $"{fault} was tried {row.GetInt32("DequeueCount")} times");
        }
        var copies = await DrainAsync(poisonQueue);
        Assert.Equal(bad.Values.Select(b => b.Text).Order(StringComparer.Ordinal), copies.Order(StringComparer.Ordinal));
        var delivered = h.ReceivedOn("/hook").Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()).ToArray();
        Assert.Equal(good.Order(StringComparer.Ordinal), delivered.Order(StringComparer.Ordinal));
    }

    private static string Message(string fault, bool base64, string org)
    {
        var bytes = fault switch
        {
            "not-base64" => Encoding.UTF8.GetBytes("%%not base64, not json%%"),
            "truncated-json" => Encoding.UTF8.GetBytes(TestEvents.Envelope(org).ToJsonString()[..40]),
            "json-array" => Encoding.UTF8.GetBytes($"[{TestEvents.Envelope(org).ToJsonString()}]"),
            "json-null" => "null"u8.ToArray(),
            "json-string" => "\"an event\""u8.ToArray(),
            "deep" => Encoding.UTF8.GetBytes(TestEvents.Envelope(org).ToJsonString().TrimEnd('}') + ",\"data\":" + new string('[', 200) + new string(']', 200) + "}"),
            "duplicate-id" => Encoding.UTF8.GetBytes(TestEvents.Envelope(org).ToJsonString().TrimEnd('}') + ",\"id\":\"evt_twice\"}"),
            "empty-object" => "{}"u8.ToArray(),
            "too-large-plain" => Encoding.UTF8.GetBytes(new JsonObject { ["id"] = "evt_big", ["message"] = new string('x', 50_000) }.ToJsonString()),
            "whitespace" => "   "u8.ToArray(),
            _ => PoisonEventTests.BadEventBytes(fault, org),
        };
        // Bytes that are not UTF-8 travel only as base64; oversized ones only as text (the queue's 64 KiB).
        var asBase64 = fault.StartsWith("invalid-utf8-", StringComparison.Ordinal) || (base64 && bytes.Length < 40_000 && fault != "not-base64");
        return asBase64 ? Convert.ToBase64String(bytes) : Encoding.UTF8.GetString(bytes);
    }

    private static async Task<List<string>> DrainAsync(QueueClient queue)
    {
        var texts = new List<string>();
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } batch)
        {
            texts.AddRange(batch.Select(m => m.MessageText));
        }
        return texts;
    }
}
