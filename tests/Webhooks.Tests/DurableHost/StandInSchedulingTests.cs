using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Functions.Deliveries;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.DurableHost;

/// <summary>
/// The Functions app's scheduler against the real Azure Storage provider: starting a delivery whose
/// instance is under way leaves that execution alone; starting one whose instance ended while the
/// delivery is still pending (a conclusion that never landed) replaces it, and the delivery is made.
/// </summary>
[Collection(DurableStorageTests.Name)]
[Trait("Category", "Slow")]
public sealed class StandInSchedulingTests(AzuriteFixture storage)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AStartForAnInstanceUnderWayLeavesItAloneAndOneForAnEndedInstanceWithAPendingDeliveryReplacesIt()
    {
        await using var h = await StandInHarness.StartAsync(storage);
        var release = new TaskCompletionSource();
        h.Receiver.Respond = async context =>
        {
            await release.Task;
            context.Response.StatusCode = 200;
        };
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var key = new DeliveryKey(h.Org, webhook, h.DeliveryIdOf(eventId, webhook));
        await Eventually.HoldsAsync(() => h.ReceivedOn("/hook").Count == 1, "the first attempt to reach the receiver", Patience, h.Problems);
        var executionUnderWay = await ExecutionIdAsync(h, key.DeliveryId);

        await StartAsync(h, key);

        Assert.Equal(executionUnderWay, await ExecutionIdAsync(h, key.DeliveryId));
        release.SetResult();
        await h.WaitForStatusAsync(webhook, key.DeliveryId, "succeeded", Patience);
        using (var wait = new CancellationTokenSource(Patience))
        {
            await h.Durable.WaitForInstanceCompletionAsync(key.DeliveryId, cancellation: wait.Token);
        }
        Assert.Single(h.ReceivedOn("/hook"));

        // The instance completed, yet the row says pending, as when a conclusion never landed.
        var deliveries = h.Services.GetRequiredService<DeliveryStore>();
        var concluded = (await deliveries.GetAsync(key, CancellationToken.None))!;
        Assert.NotNull(await deliveries.TryWriteAsync(concluded with { Status = DeliveryStatus.Pending, FinishedAt = null, RunAttempt = 0 }, null, CancellationToken.None));

        await StartAsync(h, key);

        await Eventually.HoldsAsync(() => h.ReceivedOn("/hook").Count == 2, "the replaced instance to deliver", Patience, h.Problems);
        Assert.NotEqual(executionUnderWay, await ExecutionIdAsync(h, key.DeliveryId));
        await h.WaitForStatusAsync(webhook, key.DeliveryId, "succeeded", Patience);
    }

    private static async Task StartAsync(StandInHarness h, DeliveryKey key)
    {
        var delivery = (await h.Services.GetRequiredService<DeliveryStore>().GetAsync(key, CancellationToken.None))!;
        await DurableScheduler.For(h.Durable, h.Services.GetRequiredService<IOptions<RetryPolicy>>())
            .StartAsync(new DeliveryStart(delivery, null, null, IsNew: false, ProcessedBy: "test"), CancellationToken.None);
    }

    private static async Task<string?> ExecutionIdAsync(StandInHarness h, string instanceId) =>
        (await h.HubRowsAsync("Instances")).Single(r => r.PartitionKey == instanceId).GetString("ExecutionId");
}
