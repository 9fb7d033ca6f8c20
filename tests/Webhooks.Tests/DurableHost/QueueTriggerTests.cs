using Azure.Storage.Queues;
using Webhooks.FunctionsHostStandIn;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.DurableHost;

/// <summary>
/// The stand-in's queue trigger keeps the Storage Queues extension's documented contract with the
/// fan-out function: a message whose function fails is tried again after host.json's visibility timeout,
/// and after maxDequeueCount tries lands, unchanged, in the queue of the same name plus -poison.
/// </summary>
[Collection(StorageTests.Name)]
public sealed class QueueTriggerTests(AzuriteFixture storage)
{
    [Fact]
    public async Task AMalformedEventIsTriedMaxDequeueCountTimesThenMovedUnchangedToThePoisonQueue()
    {
        await using var h = await StandInHarness.StartAsync(storage,
            ($"{HostJson.OverridePrefix}:extensions:queues:visibilityTimeout", "00:00:00"),
            ($"{HostJson.OverridePrefix}:extensions:queues:maxDequeueCount", "3"));
        var queue = new QueueClient(storage.ConnectionString, h.Names.EventsQueue);
        await queue.CreateIfNotExistsAsync();
        const string malformed = "{\"id\":\"evt_bad\",\"type\":\"build_completed\"}";

        await queue.SendMessageAsync(malformed);

        var poison = new QueueClient(storage.ConnectionString, h.Names.EventsQueue + "-poison");
        var moved = await Eventually.ReturnsAsync(async () =>
            await poison.ExistsAsync() && (await poison.PeekMessagesAsync(10)).Value is { Length: > 0 } messages ? messages : null,
            "the malformed event in the poison queue", TimeSpan.FromSeconds(60), h.Problems);
        Assert.Equal(malformed, Assert.Single(moved).Body.ToString());
        Assert.Equal(0, await h.QueueLengthAsync(h.Names.EventsQueue));
        // Each try ran the function, which refused the event (the library logs why each time).
        var tries = h.Logs.GetSnapshot().Count(r => r.Category == typeof(QueueTriggerListener).FullName && r.Message.Contains("failed on message", StringComparison.Ordinal));
        Assert.Equal(3, tries);
    }
}
