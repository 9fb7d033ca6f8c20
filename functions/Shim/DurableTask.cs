// Compile-only shim (see README.md): public signatures of Microsoft.DurableTask.Abstractions and
// Microsoft.DurableTask.Client as shipped with Worker.Extensions.DurableTask 1.16.0. No behaviour;
// abstract and virtual exactly as in the packages.
#pragma warning disable
namespace Microsoft.DurableTask
{
    using Microsoft.Extensions.Logging;

    public readonly struct TaskName
    {
        public TaskName(string name) => Name = name;
        public string Name { get; }
        public static implicit operator TaskName(string value) => new(value);
    }

    public class RetryPolicy
    {
        public RetryPolicy(int maxNumberOfAttempts, System.TimeSpan firstRetryInterval, double backoffCoefficient = 1.0, System.TimeSpan? maxRetryInterval = null, System.TimeSpan? retryTimeout = null)
        {
            MaxNumberOfAttempts = maxNumberOfAttempts;
            FirstRetryInterval = firstRetryInterval;
            BackoffCoefficient = backoffCoefficient;
            MaxRetryInterval = maxRetryInterval ?? System.TimeSpan.FromHours(1);
            RetryTimeout = retryTimeout ?? System.Threading.Timeout.InfiniteTimeSpan;
        }
        public int MaxNumberOfAttempts { get; }
        public System.TimeSpan FirstRetryInterval { get; }
        public double BackoffCoefficient { get; }
        public System.TimeSpan MaxRetryInterval { get; }
        public System.TimeSpan RetryTimeout { get; }
    }

    public sealed class TaskRetryOptions
    {
        public TaskRetryOptions(RetryPolicy policy) => Policy = policy;
        public RetryPolicy? Policy { get; }
    }

    public record TaskOptions(TaskRetryOptions? Retry = null);

    public record StartOrchestrationOptions(string? InstanceId = null, System.DateTimeOffset? StartAt = null);

    public abstract class TaskOrchestrationContext
    {
        public abstract string InstanceId { get; }
        public abstract System.DateTime CurrentUtcDateTime { get; }
        public abstract bool IsReplaying { get; }
        public abstract T? GetInput<T>();
        public virtual System.Threading.Tasks.Task CallActivityAsync(TaskName name, object? input = null, TaskOptions? options = null) => throw new System.NotSupportedException();
        public abstract System.Threading.Tasks.Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null);
        public virtual System.Threading.Tasks.Task CreateTimer(System.TimeSpan delay, System.Threading.CancellationToken cancellationToken) => throw new System.NotSupportedException();
        public abstract System.Threading.Tasks.Task CreateTimer(System.DateTime fireAt, System.Threading.CancellationToken cancellationToken);
        public abstract void SetCustomStatus(object? customStatus);
        public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);
        public abstract System.Guid NewGuid();
        public virtual ILogger CreateReplaySafeLogger(string categoryName) => throw new System.NotSupportedException();
        public virtual ILogger CreateReplaySafeLogger<T>() => throw new System.NotSupportedException();
    }
}

namespace Microsoft.DurableTask.Client
{
    using Microsoft.DurableTask;

    public enum OrchestrationRuntimeStatus { Running, Completed, ContinuedAsNew, Failed, Canceled, Terminated, Pending, Suspended }

    public sealed class OrchestrationMetadata
    {
        public OrchestrationMetadata(string name, string instanceId)
        {
            Name = name;
            InstanceId = instanceId;
        }
        public string Name { get; }
        public string InstanceId { get; }
        public OrchestrationRuntimeStatus RuntimeStatus { get; init; }
        public bool IsRunning => throw new System.NotSupportedException();
        public bool IsCompleted => throw new System.NotSupportedException();
    }

    public sealed class PurgeResult
    {
        public PurgeResult(int count) => PurgedInstanceCount = count;
        public int PurgedInstanceCount { get; }
    }

    public record PurgeInstanceOptions(bool Recursive = false);

    public record TerminateInstanceOptions(object? Output = null, bool Recursive = false);

    public abstract class DurableTaskClient : System.IAsyncDisposable
    {
        protected DurableTaskClient(string name) => Name = name;
        public string Name { get; }
        public abstract System.Threading.Tasks.Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, System.Threading.CancellationToken cancellation = default);
        public virtual System.Threading.Tasks.Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, System.Threading.CancellationToken cancellation = default) => throw new System.NotSupportedException();
        public virtual System.Threading.Tasks.Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, System.Threading.CancellationToken cancellation = default) => throw new System.NotSupportedException();
        public virtual System.Threading.Tasks.Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, System.Threading.CancellationToken cancellation = default) => throw new System.NotSupportedException();
        public abstract System.Threading.Tasks.ValueTask DisposeAsync();
    }
}
