using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Events;
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
    [InlineData("lone-surrogate-id", "id", false)]
    [InlineData("lone-surrogate-data", "data.note", true)]
    [InlineData("invalid-utf8-organization-name", "organization.name", true)]
    [InlineData("invalid-utf8-message", "message", true)]
    [InlineData("huge-type", "type", true)]
    [InlineData("wrong-type-project", "project", false)]
    [InlineData("bidi-override-id", "id", true)]
    public async Task AMalformedQueuedEventIsPoisonedOnceOnItsFirstTryWithItsReasonAndTheNextEventIsStillDelivered(string fault, string field, bool base64)
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, h.App);
        var bad = BadEventBytes(fault, h.Org);
        var text = base64 ? Convert.ToBase64String(bad) : Encoding.UTF8.GetString(bad);

        var sent = await queue.SendMessageAsync(text);

        var poisonQueue = new QueueClient(storage.ConnectionString, h.App.EventsQueue + "-poison");
        var row = await PoisonReasonAsync(storage, poisonQueue.Name, sent.Value.MessageId, h.Problems);
        var poisoned = Assert.Single((await poisonQueue.PeekMessagesAsync(32)).Value);
        Assert.Equal(text, poisoned.MessageText);
        Assert.Equal(poisoned.MessageId, row.GetString("PoisonMessageId"));
        Assert.Equal(h.App.EventsQueue, row.GetString("SourceQueue"));
        Assert.Equal(sent.Value.MessageId, row.GetString("OriginalMessageId"));
        // Bad input is not a failure to retry: it is moved on its first try.
        Assert.Equal(1, row.GetInt32("DequeueCount"));
        var reason = row.GetString("Reason");
        Assert.Contains(field, reason, StringComparison.Ordinal);
        Assert.InRange(reason.Length, 1, 4000);
        var errors = JsonSerializer.Deserialize<Dictionary<string, string[]>>(row.GetString("Errors")!)!;
        Assert.True(errors.ContainsKey(field), $"no error for '{field}' in {row.GetString("Errors")}");
        Assert.DoesNotContain(h.App.Logs.GetSnapshot(), r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        AssertNoLogLineQuotesMoreThanABoundedExcerpt(h.App.Logs.GetSnapshot());

        var good = TestEvents.Envelope(h.Org);
        await queue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(good.ToJsonString())));
        var goodId = good["id"]!.GetValue<string>();
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(goodId, webhook), "succeeded");
        var received = Assert.Single(h.ReceivedOn("/hook"));
        Assert.Equal(goodId, JsonDocument.Parse(received.Body).RootElement.GetProperty("id").GetString());
        Assert.Single((await poisonQueue.PeekMessagesAsync(32)).Value);
    }

    /// <summary>
    /// Two processors can hold the same message (a visibility lapse, a host retry): however many move it,
    /// at once or one after another, it has one poison copy and one reason row naming that copy.
    /// </summary>
    [Fact]
    public async Task AMessageMovedByManyProcessorsAtOnceHasOnePoisonCopyAndOneReasonRowNamingIt()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var poison = h.App.Services.GetRequiredService<PoisonMessages>();
        var poisonQueue = await NewPoisonQueueAsync("race-");
        var message = FirstTryOf("{\"not\":\"an event\"}");
        var errors = new Dictionary<string, string[]> { ["id"] = ["is required."] };

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => poison.MoveAsync(poisonQueue, "source-queue", message, "The event is invalid: id is required.", errors, CancellationToken.None))));
        await poison.MoveAsync(poisonQueue, "source-queue", message, "The event is invalid: id is required.", errors, CancellationToken.None);

        var copy = Assert.Single((await poisonQueue.PeekMessagesAsync(32)).Value);
        Assert.Equal("{\"not\":\"an event\"}", copy.MessageText);
        var rows = new TableServiceClient(storage.ConnectionString).GetTableClient("poisonmessages");
        var found = new List<TableEntity>();
        await foreach (var r in rows.QueryAsync<TableEntity>(r => r.PartitionKey == poisonQueue.Name))
        {
            found.Add(r);
        }
        var row = Assert.Single(found);
        Assert.Equal(message.MessageId, row.RowKey);
        Assert.Equal(copy.MessageId, row.GetString("PoisonMessageId"));
        Assert.Equal("The event is invalid: id is required.", row.GetString("Reason"));
        Assert.Contains("is required.", row.GetString("Errors"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The row keeps up to 4,000 characters of a reason, but the log line (event 5001) quotes at most
    /// 1,000 of them, as docs/api.md says.
    /// </summary>
    [Fact]
    public async Task ThePoisonLogLineQuotesABoundedExcerptOfALongReason()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var poison = h.App.Services.GetRequiredService<PoisonMessages>();
        var poisonQueue = await NewPoisonQueueAsync("long-");
        var message = FirstTryOf("{}");
        var reason = "The event is invalid: " + new string('r', 40_000);

        await poison.MoveAsync(poisonQueue, "source-queue", message, reason, null, CancellationToken.None);

        var row = await PoisonReasonAsync(storage, poisonQueue.Name, message.MessageId, h.Problems);
        Assert.Equal(PoisonMessages.MaxReasonChars, row.GetString("Reason").Length);
        var logged = Assert.Single(h.App.Logs.GetSnapshot(), r => r.Id.Id == 5001 && r.Message.Contains(message.MessageId, StringComparison.Ordinal));
        Assert.StartsWith("The event is invalid: rrr", logged.GetStructuredStateValue("Reason"), StringComparison.Ordinal);
        Assert.InRange(logged.GetStructuredStateValue("Reason")!.Length, 1, PoisonMessages.MaxLoggedReasonChars);
        AssertNoLogLineQuotesMoreThanABoundedExcerpt([logged]);
    }

    private async Task<QueueClient> NewPoisonQueueAsync(string prefix)
    {
        var queue = new QueueClient(storage.ConnectionString, prefix + Guid.NewGuid().ToString("N")[..12] + "-poison");
        await queue.CreateAsync();
        return queue;
    }

    /// <summary>A message as a processor holds it on its first try.</summary>
    private static QueueMessage FirstTryOf(string body) =>
        QueuesModelFactory.QueueMessage("msg-" + Guid.NewGuid().ToString("N"), "receipt", BinaryData.FromString(body), 1, DateTimeOffset.UtcNow);

    /// <summary>
    /// Log lines quote at most <see cref="PoisonMessages.MaxLoggedReasonChars"/> of any input; the rest of
    /// a line is its template's text and names (ids, queues), a few hundred characters at most.
    /// </summary>
    internal static void AssertNoLogLineQuotesMoreThanABoundedExcerpt(IEnumerable<Microsoft.Extensions.Logging.Testing.FakeLogRecord> records)
    {
        const int TemplateAndNames = 400;
        var longest = records.MaxBy(r => r.Message.Length);
        Assert.True(longest is null || longest.Message.Length <= PoisonMessages.MaxLoggedReasonChars + TemplateAndNames,
            $"a log line of {longest?.Message.Length} characters: {longest?.Message[..Math.Min(300, longest.Message.Length)]}");
    }

    /// <summary>
    /// The reason row of a poisoned message (partition: the poison queue, row: the original message's id),
    /// once it names the poison copy.
    /// </summary>
    internal static async Task<TableEntity> PoisonReasonAsync(AzuriteFixture storage, string poisonQueue, string messageId, Func<string> problems)
    {
        var reasons = new TableServiceClient(storage.ConnectionString).GetTableClient("poisonmessages");
        return await Eventually.ReturnsAsync(async () =>
        {
            var found = await reasons.GetEntityIfExistsAsync<TableEntity>(poisonQueue, messageId);
            return found.HasValue && found.Value!.GetString("PoisonMessageId") is not null ? found.Value : null;
        }, "the poison reason", details: problems);
    }

    /// <summary>The field each fault of <see cref="BadEvent"/> breaks, as a 400 or a poison reason names it.</summary>
    internal static readonly IReadOnlyDictionary<string, string> FieldOf = new Dictionary<string, string>
    {
        ["lone-surrogate-id"] = "id",
        ["lone-surrogate-organization-name"] = "organization.name",
        ["lone-surrogate-project"] = "project",
        ["lone-surrogate-message"] = "message",
        ["lone-surrogate-data"] = "data.note",
        ["invalid-utf8-id"] = "id",
        ["invalid-utf8-organization-name"] = "organization.name",
        ["invalid-utf8-project"] = "project",
        ["invalid-utf8-message"] = "message",
        ["invalid-utf8-data"] = "data.note",
        ["huge-type"] = "type",
        ["wrong-type-project"] = "project",
        ["wrong-type-message"] = "message",
        ["wrong-type-id"] = "id",
        ["wrong-type-organization-name"] = "organization.name",
        ["bidi-override-id"] = "id",
        ["control-character-id"] = "id",
        ["duplicate-id"] = "id",
    };

    /// <summary>Every fault <see cref="BadEventBytes"/> knows.</summary>
    internal static IEnumerable<string> Faults => FieldOf.Keys.Concat(["not-json", "missing-id", "missing-type", "missing-organization", "unknown-type", "too-large"]);

    private const string Mark = "@@text-at-fault@@";

    /// <summary>An event text broken in one way, all else valid.</summary>
    internal static string BadEvent(string fault, string org) => Encoding.UTF8.GetString(BadEventBytes(fault, org));

    /// <summary>An event's bytes broken in one way, all else valid (bytes, because some faults are bytes that are not UTF-8).</summary>
    internal static byte[] BadEventBytes(string fault, string org)
    {
        var e = TestEvents.Envelope(org);
        switch (fault)
        {
            case "not-json":
                return Encoding.UTF8.GetBytes("this is not json at all");
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
            case "huge-type":
                e["type"] = new string('t', 40_000);
                break;
            case "wrong-type-project":
                e["project"] = 123;
                break;
            case "wrong-type-message":
                e["message"] = 42;
                break;
            case "wrong-type-id":
                e["id"] = 7;
                break;
            case "wrong-type-organization-name":
                e["organization"]!["name"] = new JsonArray("Acme");
                break;
            case "bidi-override-id":
                e["id"] = "evt_\u202Etxt.exe";
                break;
            case "control-character-id":
                e["id"] = "evt_\u0007bell";
                break;
            case "duplicate-id":
                // A second id before the first: which one a reader keeps is up to it, so the event is refused.
                return Encoding.UTF8.GetBytes("{\"id\":\"evt_other\"," + e.ToJsonString()[1..]);
            case var text when text.StartsWith("lone-surrogate-", StringComparison.Ordinal) || text.StartsWith("invalid-utf8-", StringComparison.Ordinal):
                var field = FieldOf[fault];
                var target = field switch
                {
                    "organization.name" => e["organization"]!.AsObject(),
                    "data.note" => e["data"]!.AsObject(),
                    _ => e,
                };
                target[field.Split('.')[^1]] = Mark;
                var json = e.ToJsonString();
                if (fault.StartsWith("lone-surrogate-", StringComparison.Ordinal))
                {
                    // A JSON escape naming half a surrogate pair: valid JSON syntax, not valid text.
                    return Encoding.UTF8.GetBytes(json.Replace(Mark, "evt_\\ud800", StringComparison.Ordinal));
                }
                var at = json.IndexOf(Mark, StringComparison.Ordinal);
                return [.. Encoding.UTF8.GetBytes(json[..at] + "evt_"), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(json[(at + Mark.Length)..])];
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
        return Encoding.UTF8.GetBytes(e.ToJsonString());
    }
}
