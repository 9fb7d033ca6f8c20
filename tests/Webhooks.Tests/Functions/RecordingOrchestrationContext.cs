using System.Text.Json;
using Microsoft.DurableTask;

namespace Webhooks.Tests.Functions;

/// <summary>
/// A Durable orchestration context in memory (a test subclass of Durable's abstract context).
/// Activities are answered by a function; a timer fires at once and moves the orchestration's clock
/// to its time (or, with <see cref="TruncatesTimersToWholeSeconds"/>, to the whole seconds of its delay, as
/// the Azure Storage provider's timer messages become visible); every call is recorded. Inputs, outputs and statuses go through JSON, as Durable
/// stores them, so what the history would hold is what a test can inspect.
/// </summary>
public sealed class RecordingOrchestrationContext(object input, Func<string, JsonElement?, Task<object?>> activities, DateTime start) : TaskOrchestrationContext
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string inputJson = JsonSerializer.Serialize(input, Json);
    private DateTime now = start;

    public List<OrchestrationCall> Calls { get; } = [];

    /// <summary>A timer fires after the whole seconds of its delay, up to a second early, as a queue message's visibility truncates it.</summary>
    public bool TruncatesTimersToWholeSeconds { get; init; }

    /// <summary>Everything the orchestration history would hold as text: input, activity inputs and outputs, custom statuses.</summary>
    public List<string> History { get; } = [];

    public override string InstanceId => "test-instance";

    public override DateTime CurrentUtcDateTime => now;

    public override bool IsReplaying => false;

    public override T? GetInput<T>() where T : default
    {
        History.Add(inputJson);
        return JsonSerializer.Deserialize<T>(inputJson, Json);
    }

    public override async Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        var serialized = input is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(input, Json);
        History.Add(serialized?.GetRawText() ?? "null");
        Calls.Add(new OrchestrationCall("activity", name.Name, serialized?.GetRawText(), now));
        var result = await activities(name.Name, serialized);
        var output = JsonSerializer.Serialize(result, Json);
        History.Add(output);
        return JsonSerializer.Deserialize<TResult>(output, Json)!;
    }

    public override Task CallActivityAsync(TaskName name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<object?>(name, input, options);

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        Calls.Add(new OrchestrationCall("timer", null, null, fireAt));
        now = TruncatesTimersToWholeSeconds ? now + TimeSpan.FromSeconds(Math.Floor((fireAt - now).TotalSeconds)) : fireAt;
        return Task.CompletedTask;
    }

    public override void SetCustomStatus(object? customStatus) => History.Add(JsonSerializer.Serialize(customStatus, Json));

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => throw new NotSupportedException();

    public override Guid NewGuid() => throw new NotSupportedException();

    public override TaskName Name => "DeliverWebhook";

    public override ParentOrchestrationInstance? Parent => null;

    protected override Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory => Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) => throw new NotSupportedException();

    public override void SendEvent(string instanceId, string eventName, object payload) => throw new NotSupportedException();

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public static T Read<T>(JsonElement? element) => element!.Value.Deserialize<T>(Json)!;
}

/// <summary>One call an orchestration made: an activity (name, JSON input) or a timer (its fire time).</summary>
public sealed record OrchestrationCall(string Kind, string? Name, string? Input, DateTime At);
