using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Webhooks.Ingestion;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>
/// A malformed queued event goes to the poison queue unchanged, its reason (naming the field at
/// fault) recorded beside it, and the events after it are still delivered.
/// </summary>
[Collection(StorageTests.Name)]
public sealed class PoisonEventTests(AzuriteFixture storage)
{
    [Theory]
    [InlineData("not-json", "body", false)]
    [InlineData("missing-id", "id", true)]
    [InlineData("missing-type", "type", true)]
    [InlineData("missing-organization", "organization", true)]
    [InlineData("unknown-type", "type", true)]
    [InlineData("too-large", "body", false)]
    [InlineData("missing-id", "id", false)]
    public async Task AMalformedQueuedEventIsPoisonedWithItsReasonAndTheNextEventIsStillDelivered(string fault, string field, bool base64)
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateGenericAsync();
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, h.App);
        var bad = BadEvent(fault, h.Org);
        var text = base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(bad)) : bad;

        var sent = await queue.SendMessageAsync(text);

        var poisonQueue = new QueueClient(storage.ConnectionString, h.App.EventsQueue + "-poison");
        var poisoned = await Eventually.ReturnsAsync(async () =>
            await poisonQueue.ExistsAsync() && (await poisonQueue.PeekMessagesAsync(32)).Value is [var only] ? only : null,
            "the event in the poison queue", details: h.Problems);
        Assert.Equal(text, poisoned.MessageText);

        // The message goes to the poison queue first, then its reason is written beside it.
        var reasons = new TableServiceClient(storage.ConnectionString).GetTableClient("poisonmessages");
        var row = await Eventually.ReturnsAsync(async () =>
        {
            var found = await reasons.GetEntityIfExistsAsync<TableEntity>(poisonQueue.Name, poisoned.MessageId);
            return found.HasValue ? found.Value : null;
        }, "the poison reason", details: h.Problems);
        Assert.Equal(h.App.EventsQueue, row.GetString("SourceQueue"));
        Assert.Equal(sent.Value.MessageId, row.GetString("OriginalMessageId"));
        var reason = row.GetString("Reason");
        Assert.Contains(field, reason, StringComparison.Ordinal);
        var errors = JsonSerializer.Deserialize<Dictionary<string, string[]>>(row.GetString("Errors")!)!;
        Assert.True(errors.ContainsKey(field), $"no error for '{field}' in {row.GetString("Errors")}");

        var good = ApiTestHelpers.EventJson(h.Org);
        await queue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(good.ToJsonString())));
        var goodId = good["id"]!.GetValue<string>();
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(goodId, webhook), "succeeded");
        var received = Assert.Single(h.ReceivedOn("/hook"));
        Assert.Equal(goodId, JsonDocument.Parse(received.Body).RootElement.GetProperty("id").GetString());
        Assert.Single((await poisonQueue.PeekMessagesAsync(32)).Value);
    }

    /// <summary>An event text broken in one way, all else valid.</summary>
    internal static string BadEvent(string fault, string org)
    {
        var e = ApiTestHelpers.EventJson(org);
        switch (fault)
        {
            case "not-json":
                return "this is not json at all";
            case "missing-id":
                e.Remove("id");
                break;
            case "missing-type":
                e.Remove("type");
                break;
            case "missing-organization":
                e.Remove("organization");
                break;
            case "unknown-type":
                e["type"] = "deploy_started";
                break;
            case "too-large":
                e["data"] = new JsonObject { ["log"] = new string('x', EventEnvelopeReader.MaxEventBytes + 1024) };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
        return e.ToJsonString();
    }
}
