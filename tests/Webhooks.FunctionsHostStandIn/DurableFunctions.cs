using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Entities;

namespace Webhooks.FunctionsHostStandIn;

/// <summary>
/// The app's <c>[OrchestrationTrigger]</c> and <c>[ActivityTrigger]</c> functions registered with the
/// Durable Task worker under their function names, as the Durable extension's worker middleware runs them.
/// </summary>
public static class DurableFunctions
{
    public static void Register(DurableTaskRegistry registry, FunctionCatalog catalog)
    {
        foreach (var (function, _) in catalog.WithTrigger<OrchestrationTriggerAttribute>())
        {
            registry.AddOrchestrator(function.Name, () => new FunctionOrchestrator(function));
        }
        foreach (var (function, _) in catalog.WithTrigger<ActivityTriggerAttribute>())
        {
            registry.AddActivity(function.Name, services => new FunctionActivity(function, services));
        }
    }

    /// <summary>
    /// An orchestrator function. Its input reaches the worker as JSON and is read when the function asks
    /// (<c>GetInput&lt;T&gt;()</c>), as in Functions, where the trigger binds only the context.
    /// </summary>
    private sealed class FunctionOrchestrator(FunctionDefinition function) : ITaskOrchestrator
    {
        public Type InputType => typeof(JsonElement);

        public Type OutputType => FunctionInvoker.ResultType(function.Method);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var bound = new LazyInputContext(context, input is JsonElement json ? json : null);
            // Orchestrator code must not do I/O, so it gets no services: only the context.
            return FunctionInvoker.InvokeAsync(function, EmptyServices.Instance, parameter =>
                parameter == function.TriggerParameter ? bound : throw FunctionInvoker.Unbound(function, parameter));
        }
    }

    /// <summary>An activity function: its trigger parameter is the activity's input, a CancellationToken the worker's shutdown.</summary>
    private sealed class FunctionActivity(FunctionDefinition function, IServiceProvider services) : ITaskActivity
    {
        public Type InputType => function.TriggerParameter.ParameterType;

        public Type OutputType => FunctionInvoker.ResultType(function.Method);

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
            await using var scope = services.CreateAsyncScope();
            return await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, parameter =>
                parameter == function.TriggerParameter ? input
                : parameter.ParameterType == typeof(CancellationToken) ? lifetime.ApplicationStopping
                : throw FunctionInvoker.Unbound(function, parameter));
        }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static EmptyServices Instance { get; } = new();

        public object? GetService(Type serviceType) => null;
    }

    /// <summary>The worker's context with the input deserialized on request, by the worker's JSON converter.</summary>
    private sealed class LazyInputContext(TaskOrchestrationContext inner, JsonElement? input) : TaskOrchestrationContext
    {
        public override TaskName Name => inner.Name;

        public override string InstanceId => inner.InstanceId;

        public override ParentOrchestrationInstance? Parent => inner.Parent;

        public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

        public override bool IsReplaying => inner.IsReplaying;

        public override string Version => inner.Version;

        public override IReadOnlyDictionary<string, object?> Properties => inner.Properties;

        public override TaskOrchestrationEntityFeature Entities => inner.Entities;

        protected override ILoggerFactory LoggerFactory => inner.ReplaySafeLoggerFactory;

        public override T? GetInput<T>() where T : default =>
            input is { } json ? JsonDataConverter.Default.Deserialize<T>(json.GetRawText()) : default;

        public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null) =>
            inner.CallActivityAsync<TResult>(name, input, options);

        public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);

        public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
            inner.WaitForExternalEvent<T>(eventName, cancellationToken);

        public override void SendEvent(string instanceId, string eventName, object payload) => inner.SendEvent(instanceId, eventName, payload);

        public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

        public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
            inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);

        public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

        public override Guid NewGuid() => inner.NewGuid();
    }
}
