using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Webhooks.Tracing;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// An in-memory exporter of the pipeline's spans, added to a test host's OpenTelemetry. Every host
/// in the test process shares the one activity source, so a test reads the spans of its own trace.
/// </summary>
public sealed class SpanCollector : BaseProcessor<Activity>
{
    private readonly ConcurrentQueue<Activity> ended = new();

    public IReadOnlyList<Activity> Ended => [.. ended];

    /// <summary>Registers this collector with the host's tracing.</summary>
    public void AddTo(IServiceCollection services) =>
        services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(PipelineTracing.SourceName, "Microsoft.DurableTask").AddProcessor(this));

    public IReadOnlyList<Activity> OfTrace(ActivityTraceId trace) => [.. ended.Where(a => a.TraceId == trace)];

    public override void OnEnd(Activity data) => ended.Enqueue(data);
}
