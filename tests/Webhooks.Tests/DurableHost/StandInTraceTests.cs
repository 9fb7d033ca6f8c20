using Webhooks.Tests.Infrastructure;
using Webhooks.Tracing;

namespace Webhooks.Tests.DurableHost;

/// <summary>
/// The Durable path's spans, on the Functions host stand-in: the queue trigger's receive continues
/// the producer's trace, and the delivery's activities, run by the orchestration in other work
/// items, join that same trace under the fan-out.
/// </summary>
[Collection(DurableStorageTests.Name)]
public sealed class StandInTraceTests(AzuriteFixture storage)
{
    [Fact]
    public async Task TheOrchestrationsAttemptsJoinTheProducersTrace()
    {
        var spans = new SpanCollector();
        await using var h = await StandInHarness.StartAsync(storage, spans.AddTo);
        var (webhook, _) = await h.CreateWebhookAsync();
        var (trace, parent) = (System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom());
        var envelope = TestEvents.Envelope(h.Org);
        envelope["traceparent"] = $"00-{trace}-{parent}-01";

        var eventId = await h.PublishAsync(envelope);
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded", TimeSpan.FromSeconds(60));

        var all = await Eventually.ReturnsAsync(() => Task.FromResult(
            spans.OfTrace(trace) is var found && found.Any(s => s.OperationName == "webhooks.delivery.conclude")
                && found.Any(s => s.OperationName.StartsWith("activity:AttemptDelivery", StringComparison.Ordinal)) ? found : null),
            "the conclusion's span and the activity's (which ends after it) in the producer's trace", details: () => string.Join(", ", spans.OfTrace(trace).Select(s => s.OperationName)));
        var receive = Assert.Single(all, s => s.OperationName == "webhooks.event receive");
        Assert.Equal(parent, receive.ParentSpanId);
        var fanOut = Assert.Single(all, s => s.OperationName == "webhooks.event fan_out");
        Assert.Equal(receive.SpanId, fanOut.ParentSpanId);
        // The Durable SDK carries the fan-out's context into the orchestration and its activities.
        var scheduled = Assert.Single(all, s => s.OperationName.StartsWith("create_orchestration:", StringComparison.Ordinal));
        Assert.Equal(fanOut.SpanId, scheduled.ParentSpanId);
        var activity = Assert.Single(all, s => s.OperationName.StartsWith("activity:AttemptDelivery", StringComparison.Ordinal));
        var pass = Assert.Single(all, s => s.OperationName == "webhooks.delivery");
        Assert.Equal(activity.SpanId, pass.ParentSpanId);
        var attempt = Assert.Single(all, s => s.OperationName == "webhooks.delivery.attempt");
        Assert.Equal(pass.SpanId, attempt.ParentSpanId);
        Assert.Equal(200, attempt.GetTagItem(TraceTags.HttpStatus));
    }
}
