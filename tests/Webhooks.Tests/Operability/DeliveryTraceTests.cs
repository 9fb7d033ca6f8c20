using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Events;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;
using Webhooks.Tracing;

namespace Webhooks.Tests.Operability;

/// <summary>
/// One event's trace on the standalone host, read from an in-memory exporter: the producer's span,
/// the receive that continues it across the events queue, the fan-out, each delivery pass (the
/// retry's across the delivery queue), its attempt, the retry wait and the conclusion; with no
/// URL path, secret or body in any attribute.
/// </summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class DeliveryTraceTests(AzuriteFixture storage)
{
    private const string Marker = "trace-test-data-value";

    [Fact]
    public async Task OneDeliveryCanBeFollowedFromTheProducersSpanToTheAttempt()
    {
        var spans = new SpanCollector();
        await using var h = await DeliveryHarness.StartAsync(storage, spans.AddTo, ("Webhooks:Retry:Schedule:1", "00:00:01"));
        h.Receiver.Respond = LoopbackReceiver.FirstThen(LoopbackReceiver.Status(500), LoopbackReceiver.Status(200));
        var created = await h.CreateWebhookAsync("/hook-path-never-traced");
        var (webhook, secret) = (created.Id, created.Secret!);
        var e = h.App.Services.GetRequiredService<EventEnvelopeReader>()
            .Read(Encoding.UTF8.GetBytes(TestEvents.Envelope(h.Org, data: new { marker = Marker }).ToJsonString()));

        await h.App.Services.GetRequiredService<EventPublisher>().PublishAsync(e, CancellationToken.None);
        var deliveryId = h.DeliveryIdOf(e.Id, webhook);
        await h.WaitForStatusAsync(webhook, deliveryId, "succeeded");

        var publish = Assert.Single(spans.Ended, s => s.OperationName == "webhooks.event publish" && Tag(s, TraceTags.EventId) == e.Id);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        var trace = await Eventually.ReturnsAsync(() => Task.FromResult(
            spans.OfTrace(publish.TraceId) is var all && all.Any(s => s.OperationName == "webhooks.delivery.conclude")
                && all.Count(s => s.OperationName == "webhooks.delivery") == 2 ? all : null),
            "the conclusion's span and both passes' (the second ends after the conclusion)", details: () => string.Join(", ", spans.OfTrace(publish.TraceId).Select(s => s.OperationName)));

        var receive = Assert.Single(trace, s => s.OperationName == "webhooks.event receive");
        Assert.Equal(publish.SpanId, receive.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, receive.Kind);
        Assert.Equal(h.App.EventsQueue, Tag(receive, TraceTags.Destination));
        var fanOut = Assert.Single(trace, s => s.OperationName == "webhooks.event fan_out");
        Assert.Equal(receive.SpanId, fanOut.ParentSpanId);
        Assert.Equal(1, fanOut.GetTagItem(TraceTags.Webhooks));
        var passes = trace.Where(s => s.OperationName == "webhooks.delivery").OrderBy(s => s.StartTimeUtc).ToArray();
        Assert.Equal([1, 2], passes.Select(p => (int)p.GetTagItem(TraceTags.Attempt)!));
        // The second pass ran from the delivery queue, in another message: the stored event carried the trace.
        Assert.All(passes, p => Assert.Equal(fanOut.SpanId, p.ParentSpanId));
        Assert.All(passes, p => Assert.Equal(deliveryId, Tag(p, TraceTags.DeliveryId)));
        // The enqueue latencies ride on the passes, for percentiles where the histograms have no buckets.
        Assert.InRange((double)passes[0].GetTagItem(TraceTags.TimeToFirstAttempt)!, 0, 30);
        Assert.Null(passes[1].GetTagItem(TraceTags.TimeToFirstAttempt));
        Assert.InRange((double)passes[1].GetTagItem(TraceTags.TimeToSuccess)!, 0.8, 60);
        var attempts = trace.Where(s => s.OperationName == "webhooks.delivery.attempt").OrderBy(s => s.StartTimeUtc).ToArray();
        Assert.Equal([passes[0].SpanId, passes[1].SpanId], attempts.Select(a => a.ParentSpanId));
        Assert.Equal([500, 200], attempts.Select(a => (int)a.GetTagItem(TraceTags.HttpStatus)!));
        Assert.All(attempts, a => Assert.Equal(ActivityKind.Client, a.Kind));
        Assert.All(attempts, a => Assert.Equal("127.0.0.1", Tag(a, TraceTags.ServerAddress)));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal("500", Tag(attempts[0], TraceTags.ErrorType));
        Assert.Equal(["failure", "success"], attempts.Select(a => Tag(a, TraceTags.Outcome)));
        var wait = Assert.Single(trace, s => s.OperationName == "webhooks.delivery.wait");
        Assert.Equal(passes[0].SpanId, wait.ParentSpanId);
        Assert.Equal("retry", Tag(wait, TraceTags.WaitReason));
        Assert.InRange(wait.Duration, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2));
        var conclude = Assert.Single(trace, s => s.OperationName == "webhooks.delivery.conclude");
        Assert.Equal(passes[1].SpanId, conclude.ParentSpanId);
        Assert.Equal("succeeded", Tag(conclude, TraceTags.DeliveryStatus));

        var values = trace.SelectMany(s => s.TagObjects).Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray();
        Assert.DoesNotContain(values, v => v.Contains("hook-path-never-traced", StringComparison.Ordinal));
        Assert.DoesNotContain(values, v => v.Contains(Marker, StringComparison.Ordinal));
        Assert.DoesNotContain(values, v => v.Contains(secret[6..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEnvelopesTraceparentIsContinuedAndDeliveriesCarryNoTraceHeaders()
    {
        var spans = new SpanCollector();
        await using var h = await DeliveryHarness.StartAsync(storage, spans.AddTo);
        var (webhook, _) = await h.CreateWebhookAsync();
        var (trace, parent) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        var envelope = TestEvents.Envelope(h.Org);
        envelope["traceparent"] = $"00-{trace}-{parent}-01";

        var eventId = await h.PublishAsync(envelope);
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        var receive = await Eventually.ReturnsAsync(() => Task.FromResult(spans.OfTrace(trace).FirstOrDefault(s => s.OperationName == "webhooks.event receive")), "the receive span");
        Assert.Equal(parent, receive.ParentSpanId);
        await Eventually.HoldsAsync(() => spans.OfTrace(trace).Any(s => s.OperationName == "webhooks.delivery.attempt"), "the attempt in the producer's trace");
        var delivered = Assert.Single(h.ReceivedOn("/hook"));
        Assert.False(delivered.Headers.ContainsKey("traceparent"), "A webhook that did not ask for trace context gets none.");
    }

    [Fact]
    public async Task AWebhookThatAsksForTraceContextGetsTheAttemptsTraceparent()
    {
        var spans = new SpanCollector();
        await using var h = await DeliveryHarness.StartAsync(storage, spans.AddTo);
        using var created = await h.Api.PostAsJsonAsync(Routes.Webhooks(h.Org), new { name = "traced", url = h.Receiver.Url.ToString(), traceContext = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var webhook = (await created.ReadJsonAsync()).GetProperty("id").GetString()!;
        Assert.True((await h.WebhookAsync(webhook)).GetProperty("traceContext").GetBoolean());

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        var header = Assert.Single(h.ReceivedOn("/hook")).Headers["traceparent"];
        Assert.True(ActivityContext.TryParse(header, null, out var sent));
        var attempt = await Eventually.ReturnsAsync(() => Task.FromResult(spans.OfTrace(sent.TraceId).FirstOrDefault(s => s.OperationName == "webhooks.delivery.attempt")), "the attempt's span");
        Assert.Equal(attempt.SpanId, sent.SpanId);
        var recorded = delivery.GetProperty("attempts")[0].GetProperty("request").GetProperty("headers");
        Assert.Equal(header, recorded.GetProperty("traceparent").GetString());
    }

    [Fact]
    public async Task TraceContextThatIsNotABooleanIsRefusedNamingTheField()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);

        using var response = await h.Api.PostAsJsonAsync(Routes.Webhooks(h.Org), new { name = "traced", url = h.Receiver.Url.ToString(), traceContext = "yes" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("traceContext", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")]
    [InlineData("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319cxb7ad6b7169203331y01")]
    public async Task AnEventWithAMalformedTraceparentIsRefusedNamingTheField(string traceParent)
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var envelope = TestEvents.Envelope(h.Org);
        envelope["traceparent"] = traceParent;

        using var response = await h.Api.PostAsync(Routes.Events(h.Org), new StringContent(envelope.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("traceparent", out _));
    }

    [Fact]
    public void AStoredEventKeepsItsTraceparentAndDropsOneThatIsNotValid()
    {
        var valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var envelope = TestEvents.Envelope("org-1");
        envelope["traceparent"] = valid;
        Assert.Equal(valid, EventEnvelopeReader.ReadStored(Encoding.UTF8.GetBytes(envelope.ToJsonString())).TraceParent);
        Assert.Equal(valid, EventEnvelopeReader.ReadStored(EventEnvelopeWriter.Write(EventEnvelopeReader.ReadStored(Encoding.UTF8.GetBytes(envelope.ToJsonString())))).TraceParent);

        envelope["traceparent"] = "not-a-traceparent";

        Assert.Null(EventEnvelopeReader.ReadStored(Encoding.UTF8.GetBytes(envelope.ToJsonString())).TraceParent);
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();
}
