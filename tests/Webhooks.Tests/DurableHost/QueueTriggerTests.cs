using Azure.Storage.Queues;
using Webhooks.FunctionsHostStandIn;
using Webhooks.Tests.Api;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.DurableHost;

/// <summary>
/// The stand-in's queue trigger keeps the Storage Queues extension's documented contract with the
/// fan-out function: a message whose function fails is tried again after host.json's visibility timeout,
/// and after maxDequeueCount tries lands, unchanged, in the queue of the same name plus -poison.
/// A malformed event is not such a failure: the function moves it there itself, once, with its reason.
/// </summary>
[Collection(DurableStorageTests.Name)]
[Trait("Category", "Slow")]
public sealed class QueueTriggerTests(AzuriteFixture storage)
{
    [Fact]
    public async Task AMessageTheFunctionFailsOnIsTriedMaxDequeueCountTimesThenMovedUnchangedToThePoisonQueue()
    {
        // With base64 encoding configured, a message that is not base64 fails before the function's code runs.
        await using var h = await StandInHarness.StartAsync(storage,
            ($"{HostJson.OverridePrefix}:extensions:queues:visibilityTimeout", "00:00:00"),
            ($"{HostJson.OverridePrefix}:extensions:queues:maxDequeueCount", "3"),
            ($"{HostJson.OverridePrefix}:extensions:queues:messageEncoding", "base64"));
        var queue = new QueueClient(storage.ConnectionString, h.Names.EventsQueue);
        await queue.CreateIfNotExistsAsync();
        const string undecodable = "{\"id\":\"evt_bad\",\"type\":\"build_completed\"}";

        await queue.SendMessageAsync(undecodable);

        var poison = new QueueClient(storage.ConnectionString, h.Names.EventsQueue + "-poison");
        var moved = await Eventually.ReturnsAsync(async () =>
            await poison.ExistsAsync() && (await poison.PeekMessagesAsync(10)).Value is { Length: > 0 } messages ? messages : null,
            "the message in the poison queue", TimeSpan.FromSeconds(60), h.Problems);
        Assert.Equal(undecodable, Assert.Single(moved).Body.ToString());
        // The trigger copies, then deletes the original.
        await Eventually.HoldsAsync(async () => await h.QueueLengthAsync(h.Names.EventsQueue) == 0, "the original deleted", details: h.Problems);
        var tries = h.Logs.GetSnapshot().Count(r => r.Category == typeof(QueueTriggerListener).FullName && r.Message.Contains("failed on message", StringComparison.Ordinal));
        Assert.Equal(3, tries);
    }

    [Theory]
    [InlineData("huge-type")]
    [InlineData("lone-surrogate-id")]
    [InlineData("invalid-utf8-message")]
    [InlineData("missing-type")]
    public async Task AMalformedEventIsMovedToThePoisonQueueOnceOnItsFirstTryWithABoundedReason(string fault)
    {
        await using var h = await StandInHarness.StartAsync(storage,
            ($"{HostJson.OverridePrefix}:extensions:queues:visibilityTimeout", "00:00:00"),
            ($"{HostJson.OverridePrefix}:extensions:queues:maxDequeueCount", "3"));
        var queue = new QueueClient(storage.ConnectionString, h.Names.EventsQueue);
        await queue.CreateIfNotExistsAsync();
        var text = Convert.ToBase64String(PoisonEventTests.BadEventBytes(fault, h.Org));

        var sent = await queue.SendMessageAsync(text);

        var poison = new QueueClient(storage.ConnectionString, h.Names.EventsQueue + "-poison");
        var row = await PoisonEventTests.PoisonReasonAsync(storage, poison.Name, sent.Value.MessageId, h.Problems);
        var moved = Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        Assert.Equal(text, moved.Body.ToString());
        Assert.Equal(moved.MessageId, row.GetString("PoisonMessageId"));
        Assert.Equal(1, row.GetInt32("DequeueCount"));
        var reason = row.GetString("Reason");
        Assert.Contains(PoisonEventTests.FieldOf.GetValueOrDefault(fault, "type"), reason, StringComparison.Ordinal);
        Assert.InRange(reason.Length, 1, 4000);
        await Eventually.HoldsAsync(async () => await h.QueueLengthAsync(h.Names.EventsQueue) == 0, "the event's message deleted", details: h.Problems);
        // The function did not fail: the trigger neither retried it nor moved a second copy.
        Assert.DoesNotContain(h.Logs.GetSnapshot(), r => r.Category == typeof(QueueTriggerListener).FullName && r.Message.Contains("failed on message", StringComparison.Ordinal));
        Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        // Log lines quote bounded excerpts, never the whole oversized value.
        var longest = h.Logs.GetSnapshot().MaxBy(r => r.Message.Length)!;
        Assert.True(longest.Message.Length < 8000, $"a log line of {longest.Message.Length} characters: {longest.Message[..Math.Min(200, longest.Message.Length)]}");
    }
}
