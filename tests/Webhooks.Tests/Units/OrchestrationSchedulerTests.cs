using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.Tests.Units;

/// <summary>
/// Which deliveries the Functions app's scheduler starts: a pending delivery whose instance is
/// absent or has ended (nothing would ever conclude it otherwise), never one whose instance still
/// runs, never a concluded one.
/// </summary>
public sealed class OrchestrationSchedulerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static DeliveryRecord Pending() => DeliveryRecord.Pending("org-1", "wh_1", "evt_1", "build_completed", [], Now);

    private static async Task<FakeClient> StartAsync(DeliveryRecord delivery, OrchestrationState state)
    {
        var client = new FakeClient(state);
        await new OrchestrationScheduler(client, Options.Create(new RetryPolicy()))
            .StartAsync(new DeliveryStart(delivery, null, null, IsNew: false, ProcessedBy: "m1"), CancellationToken.None);
        return client;
    }

    [Theory]
    [InlineData(OrchestrationState.Ended)]
    [InlineData(OrchestrationState.Absent)]
    public async Task APendingDeliveryWhoseInstanceEndedOrIsAbsentIsStartedAgain(OrchestrationState state)
    {
        var delivery = Pending() with { RunAttempt = 2 };

        var client = await StartAsync(delivery, state);

        var ticket = Assert.Single(client.Started);
        Assert.Equal(DeliveryTicket.For(delivery, new RetryPolicy()).InstanceId, ticket.InstanceId);
        Assert.Equal(delivery.Run, ticket.Run);
    }

    [Fact]
    public async Task APendingDeliveryWhoseInstanceIsRunningStartsNothing()
    {
        var client = await StartAsync(Pending(), OrchestrationState.Running);

        Assert.Empty(client.Started);
    }

    [Theory]
    [InlineData(OrchestrationState.Ended)]
    [InlineData(OrchestrationState.Absent)]
    public async Task AConcludedDeliveryStartsNothingWhateverItsInstance(OrchestrationState state)
    {
        var client = await StartAsync(Pending() with { Status = DeliveryStatus.Succeeded, FinishedAt = Now }, state);

        Assert.Empty(client.Started);
    }

    [Fact]
    public async Task AFailedStartIsHarmlessOnlyWhenAnotherStarterGotTheInstanceRunning()
    {
        var raced = new FakeClient(OrchestrationState.Ended) { FailStartThenBecome = OrchestrationState.Running };
        var stillEnded = new FakeClient(OrchestrationState.Ended) { FailStartThenBecome = OrchestrationState.Ended };
        var scheduler = (FakeClient c) => new OrchestrationScheduler(c, Options.Create(new RetryPolicy()))
            .StartAsync(new DeliveryStart(Pending(), null, null, IsNew: false, ProcessedBy: "m1"), CancellationToken.None);

        await scheduler(raced);
        await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler(stillEnded));
    }

    private sealed class FakeClient(OrchestrationState state) : IOrchestrationClient
    {
        public List<DeliveryTicket> Started { get; } = [];

        public OrchestrationState? FailStartThenBecome { get; init; }

        public Task<OrchestrationState> GetStateAsync(string instanceId, CancellationToken cancellationToken) => Task.FromResult(state);

        public Task StartAsync(DeliveryTicket ticket, CancellationToken cancellationToken)
        {
            if (FailStartThenBecome is { } after)
            {
                state = after;
                throw new InvalidOperationException("task hub said no");
            }
            Started.Add(ticket);
            return Task.CompletedTask;
        }
    }
}
