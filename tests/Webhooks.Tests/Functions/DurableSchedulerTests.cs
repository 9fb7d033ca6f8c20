using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Functions.Deliveries;
using Webhooks.Storage;

namespace Webhooks.Tests.Functions;

/// <summary>
/// The Functions app's scheduler over Durable's client: one start request per pending delivery, asking
/// the task hub to refuse an instance id under way (scheduled, running, suspended) and so to replace an
/// ended one; a refusal is not an error. (StandInSchedulingTests shows the real provider honouring it.)
/// </summary>
public sealed class DurableSchedulerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static DeliveryRecord Pending() => DeliveryRecord.Pending("org-1", "wh_0000000000000000000000000a", "evt_1", "build_completed", [], Now);

    private static async Task StartAsync(DurableTaskClient client, DeliveryRecord delivery) =>
        await DurableScheduler.For(client, Options.Create(new Webhooks.Delivery.RetryPolicy()))
            .StartAsync(new DeliveryStart(delivery, null, null, IsNew: false, ProcessedBy: "m1"), CancellationToken.None);

    [Fact]
    public async Task APendingDeliveryIsStartedInOneRequestThatKeepsAnInstanceUnderWayAndReplacesAnEndedOne()
    {
        var client = new StatusClient();
        var delivery = Pending();

        await StartAsync(client, delivery);

        var started = Assert.Single(client.Started);
        Assert.Equal(delivery.DeliveryId, started.Options!.InstanceId);
        Assert.Equal(nameof(DeliveryOrchestration.DeliverWebhook), started.Name);
        Assert.Equal(["Pending", "Running", "Suspended"], started.Options.DedupeStatuses!.Order(StringComparer.Ordinal));
        Assert.Equal(0, client.Reads);
    }

    [Fact]
    public async Task AnInstanceAlreadyUnderWayIsNotAnError()
    {
        var client = new StatusClient { Refuse = true };

        await StartAsync(client, Pending());

        Assert.Single(client.Started);
    }

    [Fact]
    public async Task AConcludedDeliveryStartsNothing()
    {
        var client = new StatusClient();

        await StartAsync(client, Pending() with { Status = DeliveryStatus.Exhausted, FinishedAt = Now });

        Assert.Empty(client.Started);
    }

    /// <summary>A Durable client recording the starts asked of it, refusing them as a task hub does for an instance under way when told to.</summary>
    private sealed class StatusClient() : Webhooks.Tests.FunctionsHttp.TestDurableClient("status")
    {
        public List<(string Name, StartOrchestrationOptions? Options)> Started { get; } = [];

        public bool Refuse { get; init; }

        public int Reads { get; private set; }

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
        {
            Started.Add((orchestratorName.Name, options));
            return Refuse
                ? throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.AlreadyExists, "An Orchestration instance with the status Running already exists."))
                : Task.FromResult(options?.InstanceId ?? "");
        }

        public override Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        {
            Reads++;
            return Task.FromResult<OrchestrationMetadata?>(null);
        }
    }
}
