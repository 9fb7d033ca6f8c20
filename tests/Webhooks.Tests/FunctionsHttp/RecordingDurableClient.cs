using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>
/// The Durable client an HTTP function is handed, for tests: it records every orchestration
/// scheduled, and an instance exists, under way, once it has been scheduled (as in a task hub), so a
/// second start of the same instance id is refused as Durable's gRPC client reports a refusal.
/// </summary>
public sealed class RecordingDurableClient() : TestDurableClient("recording")
{
    private readonly Lock gate = new();
    private readonly List<ScheduledOrchestration> scheduled = [];

    /// <summary>Every orchestration scheduled, in order.</summary>
    public IReadOnlyList<ScheduledOrchestration> Scheduled
    {
        get
        {
            lock (gate)
            {
                return [.. scheduled];
            }
        }
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        lock (gate)
        {
            if (scheduled.Exists(s => s.InstanceId == instanceId))
            {
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.AlreadyExists, $"An orchestration instance with the ID '{instanceId}' already exists."));
            }
            scheduled.Add(new ScheduledOrchestration(orchestratorName.Name, instanceId, input, options?.StartAt));
        }
        return Task.FromResult(instanceId);
    }

    public override Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        lock (gate)
        {
            var found = scheduled.Find(s => s.InstanceId == instanceId);
            return Task.FromResult(found is null ? null : new OrchestrationMetadata(found.Name, found.InstanceId) { RuntimeStatus = OrchestrationRuntimeStatus.Pending });
        }
    }
}

/// <summary>One call of <see cref="DurableTaskClient.ScheduleNewOrchestrationInstanceAsync(TaskName, object?, StartOrchestrationOptions?, CancellationToken)"/>.</summary>
public sealed record ScheduledOrchestration(string Name, string InstanceId, object? Input, DateTimeOffset? StartAt);
