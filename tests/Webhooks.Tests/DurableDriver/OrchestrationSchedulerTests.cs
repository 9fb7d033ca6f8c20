using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.DurableDriver;
using Webhooks.Storage;

namespace Webhooks.Tests.DurableDriver;

/// <summary>
/// Which deliveries the Functions app's scheduler asks to start: every pending one (the task hub leaves
/// an instance under way alone and replaces an ended one), never a concluded one.
/// </summary>
public sealed class OrchestrationSchedulerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static DeliveryRecord Pending() => DeliveryRecord.Pending("org-1", "wh_1", "evt_1", "build_completed", [], Now);

    private static async Task<FakeClient> StartAsync(DeliveryRecord delivery)
    {
        var client = new FakeClient();
        await new OrchestrationScheduler(client, Options.Create(new RetryPolicy()))
            .StartAsync(new DeliveryStart(delivery, null, null, IsNew: false, ProcessedBy: "m1"), CancellationToken.None);
        return client;
    }

    [Fact]
    public async Task APendingDeliveryIsStartedUnderItsRunsInstanceId()
    {
        var delivery = Pending() with { RunAttempt = 2, Run = 3 };

        var client = await StartAsync(delivery);

        var ticket = Assert.Single(client.Started);
        Assert.Equal(delivery.DeliveryId + "-run3", ticket.InstanceId);
        Assert.Equal(3, ticket.Run);
    }

    [Fact]
    public async Task AConcludedDeliveryStartsNothing()
    {
        var client = await StartAsync(Pending() with { Status = DeliveryStatus.Succeeded, FinishedAt = Now });

        Assert.Empty(client.Started);
    }

    private sealed class FakeClient : IOrchestrationClient
    {
        public List<DeliveryTicket> Started { get; } = [];

        public Task<bool> StartUnlessUnderWayAsync(DeliveryTicket ticket, CancellationToken cancellationToken)
        {
            Started.Add(ticket);
            return Task.FromResult(true);
        }
    }
}
