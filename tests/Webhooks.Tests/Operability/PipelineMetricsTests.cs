using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using Webhooks.Delivery;
using Webhooks.Tests.DurableHost;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Operability;

/// <summary>
/// The metrics operators watch, read from each host's own meter factory: attempts by result and
/// webhook type, attempt duration, the latency from enqueue to first attempt and to success, on
/// the standalone host and on the Durable path; and the backlog gauges.
/// </summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class PipelineMetricsTests(AzuriteFixture storage)
{
    [Fact]
    public async Task ADeliveryWithARetryIsMeasuredOnTheStandaloneHost()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Retry:Schedule:1", "00:00:01"));
        using var metrics = new Instruments(h.App.Services);
        h.Receiver.Respond = LoopbackReceiver.FirstThen(LoopbackReceiver.Status(500), LoopbackReceiver.Status(200));
        var (webhook, _) = await h.CreateWebhookAsync();

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        await metrics.AssertDeliveryWithRetryAsync(TimeSpan.FromSeconds(0.8));
    }

    [Fact]
    public async Task ADeliveryIsMeasuredOnTheDurablePath()
    {
        await using var h = await StandInHarness.StartAsync(storage);
        using var metrics = new Instruments(h.Services);
        var (webhook, _) = await h.CreateWebhookAsync();

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded", TimeSpan.FromSeconds(60));

        await Eventually.HoldsAsync(() => metrics.Attempts.GetMeasurementSnapshot().Count == 1, "one attempt counted");
        var attempt = Assert.Single(metrics.Attempts.GetMeasurementSnapshot());
        Assert.Equal("success", attempt.Tags["result"]);
        Assert.Equal("generic", attempt.Tags["webhook.type"]);
        Assert.Single(metrics.Duration.GetMeasurementSnapshot());
        Assert.InRange(Assert.Single(metrics.ToFirstAttempt.GetMeasurementSnapshot()).Value, 0, 60);
        Assert.InRange(Assert.Single(metrics.ToSuccess.GetMeasurementSnapshot()).Value, 0, 60);
        metrics.AssertDimensionsAreCatalogued();
    }

    [Fact]
    public async Task TheBacklogGaugesAreReportedOnTheDurablePathToo()
    {
        await using var h = await StandInHarness.StartAsync(storage, ("Webhooks:Telemetry:SampleInterval", "00:00:00.200"));
        using var depth = new MetricCollector<int>(h.Services.GetRequiredService<IMeterFactory>(), DeliveryTelemetry.MeterName, "webhooks.queue.depth");

        await Eventually.HoldsAsync(() =>
        {
            depth.RecordObservableInstruments();
            return depth.GetMeasurementSnapshot().Any(m => (string?)m.Tags["queue"] == h.Names.EventsQueue);
        }, "the events queue's depth reported by the Functions host", details: h.Problems);
    }

    [Fact]
    public async Task TheBacklogGaugesReportQueueDepthOldestMessageAndDisabledWebhooks()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"), ("Webhooks:Telemetry:SampleInterval", "00:00:00.200"));
        var factory = h.App.Services.GetRequiredService<IMeterFactory>();
        using var depth = new MetricCollector<int>(factory, DeliveryTelemetry.MeterName, "webhooks.queue.depth");
        using var age = new MetricCollector<double>(factory, DeliveryTelemetry.MeterName, "webhooks.queue.oldest_message.age");
        using var disabled = new MetricCollector<int>(factory, DeliveryTelemetry.MeterName, "webhooks.disabled_webhooks");
        await h.CreateWebhookAsync(enabled: false);

        for (var i = 0; i < 3; i++)
        {
            await h.PublishAsync(TestEvents.Envelope(h.Org));
        }

        await Eventually.HoldsAsync(() =>
        {
            depth.RecordObservableInstruments();
            return depth.LastMeasurement is not null && depth.GetMeasurementSnapshot().Any(m => (string?)m.Tags["queue"] == h.App.EventsQueue && m.Value == 3);
        }, "the events queue's depth of 3");
        age.RecordObservableInstruments();
        Assert.Contains(age.GetMeasurementSnapshot(), m => (string?)m.Tags["queue"] == h.App.EventsQueue && m.Value > 0);
        // The count is read after the queues in each sample: wait for a sample that saw the webhook.
        await Eventually.HoldsAsync(() =>
        {
            disabled.RecordObservableInstruments();
            return disabled.LastMeasurement?.Value >= 1;
        }, "the disabled webhook counted", details: h.Problems);
        AssertCatalogued(depth);
        AssertCatalogued(age);
        AssertCatalogued(disabled);
    }

    public static TheoryData<string> Hosts() => new() { Standalone, Durable };

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task FannedOutRefusedAndPoisonedEventsAreCounted(string host)
    {
        var (h, services, eventsQueue) = await StartAsync(host);
        await using var _ = h;
        var factory = services.GetRequiredService<IMeterFactory>();
        using var created = new MetricCollector<long>(factory, DeliveryTelemetry.MeterName, "webhooks.deliveries.created");
        using var invalid = new MetricCollector<long>(factory, DeliveryTelemetry.MeterName, "webhooks.events.invalid");
        using var poisoned = new MetricCollector<long>(factory, DeliveryTelemetry.MeterName, "webhooks.messages.poisoned");
        await h.CreateWebhookAsync();
        await h.CreateWebhookAsync();

        await h.PublishAsync(TestEvents.Envelope(h.Org));
        var bad = TestEvents.Envelope(h.Org);
        bad.Remove("type");
        await h.PublishAsync(bad);

        await Eventually.HoldsAsync(() => created.GetMeasurementSnapshot().Sum(m => m.Value) == 2 && poisoned.GetMeasurementSnapshot().Count == 1,
            "two deliveries created and one message poisoned", TimeSpan.FromSeconds(60), h.Problems);
        Assert.Equal(1, invalid.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(eventsQueue, Assert.Single(poisoned.GetMeasurementSnapshot()).Tags["queue"]);
        AssertCatalogued(created);
        AssertCatalogued(invalid);
        AssertCatalogued(poisoned);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task HeldDeliveriesAndTheEndpointsRateAreMeasured(string host)
    {
        var (h, services, _) = await StartAsync(host);
        await using var __ = h;
        var factory = services.GetRequiredService<IMeterFactory>();
        using var held = new MetricCollector<long>(factory, DeliveryTelemetry.MeterName, "webhooks.delivery.held");
        using var rate = new MetricCollector<double>(factory, DeliveryTelemetry.MeterName, "webhooks.endpoint.rate");
        using var circuits = new MetricCollector<int>(factory, DeliveryTelemetry.MeterName, "webhooks.endpoint.circuits_open");
        using var createdWebhook = await h.Api.PostAsJsonAsync(Routes.Webhooks(h.Org), new { name = "limited", url = h.Receiver.Url.ToString(), rateLimit = 1 });
        var webhook = (await createdWebhook.ReadJsonAsync()).GetProperty("id").GetString()!;

        for (var i = 0; i < 4; i++)
        {
            await h.PublishAsync(TestEvents.Envelope(h.Org));
        }

        await Eventually.HoldsAsync(() => held.GetMeasurementSnapshot().Count > 0, "a delivery held by the rate limit", TimeSpan.FromSeconds(60), h.Problems);
        Assert.All(held.GetMeasurementSnapshot(), m => Assert.Equal("rate_limit", m.Tags["reason"]));
        rate.RecordObservableInstruments();
        var measured = Assert.Single(rate.GetMeasurementSnapshot(), m => (string?)m.Tags["webhook.id"] == webhook);
        Assert.Equal(1, measured.Value);
        Assert.Equal("limit", measured.Tags["reason"]);
        circuits.RecordObservableInstruments();
        Assert.Equal(0, circuits.LastMeasurement?.Value);
        AssertCatalogued(held);
        AssertCatalogued(rate);
        AssertCatalogued(circuits);
    }

    /// <summary>Every tag recorded on <paramref name="collector"/>'s instrument is a dimension the README's catalogue lists for it.</summary>
    private static void AssertCatalogued<T>(MetricCollector<T> collector) where T : struct
    {
        var dimensions = InstrumentCatalogueTests.Catalogue()[collector.Instrument!.Name].Dimensions;
        Assert.All(collector.GetMeasurementSnapshot().SelectMany(m => m.Tags.Keys), key => Assert.Contains(key, dimensions));
    }

    private const string Standalone = "standalone";

    private const string Durable = "durable";

    /// <summary>A delivery world on the standalone host or on the Functions host stand-in (the Durable path), with its container and events queue.</summary>
    private async Task<(DeliveryWorld World, IServiceProvider Services, string EventsQueue)> StartAsync(string host)
    {
        if (host == Standalone)
        {
            var standalone = await DeliveryHarness.StartAsync(storage);
            return (standalone, standalone.App.Services, standalone.App.EventsQueue);
        }
        var durable = await StandInHarness.StartAsync(storage);
        return (durable, durable.Services, durable.Names.EventsQueue);
    }

    /// <summary>The delivery instruments of one host, collected from its meter factory.</summary>
    private sealed class Instruments(IServiceProvider services) : IDisposable
    {
        public MetricCollector<long> Attempts { get; } = Collect<long>(services, "webhooks.delivery.attempts");

        public MetricCollector<double> Duration { get; } = Collect<double>(services, "webhooks.delivery.attempt.duration");

        public MetricCollector<double> ToFirstAttempt { get; } = Collect<double>(services, "webhooks.delivery.time_to_first_attempt");

        public MetricCollector<double> ToSuccess { get; } = Collect<double>(services, "webhooks.delivery.time_to_success");

        public MetricCollector<long> Concluded { get; } = Collect<long>(services, "webhooks.delivery.concluded");

        public async Task AssertDeliveryWithRetryAsync(TimeSpan atLeast)
        {
            await Eventually.HoldsAsync(() => Concluded.GetMeasurementSnapshot().Count == 1, "the conclusion counted");
            Assert.Equal(["failure", "success"], Attempts.GetMeasurementSnapshot().Select(m => (string?)m.Tags["result"]));
            Assert.All(Attempts.GetMeasurementSnapshot(), m => Assert.Equal("generic", m.Tags["webhook.type"]));
            Assert.Equal(2, Duration.GetMeasurementSnapshot().Count);
            // Only the first attempt counts toward the time to first attempt; the success comes after the retry's wait.
            Assert.InRange(Assert.Single(ToFirstAttempt.GetMeasurementSnapshot()).Value, 0, 30);
            Assert.InRange(Assert.Single(ToSuccess.GetMeasurementSnapshot()).Value, atLeast.TotalSeconds, 60);
            Assert.Equal("succeeded", Assert.Single(Concluded.GetMeasurementSnapshot()).Tags["status"]);
            AssertDimensionsAreCatalogued();
        }

        /// <summary>Every tag the code recorded is a dimension the README's catalogue (which the workbook and the alerts are checked against) lists for that instrument.</summary>
        public void AssertDimensionsAreCatalogued()
        {
            AssertCatalogued(Attempts);
            AssertCatalogued(Duration);
            AssertCatalogued(ToFirstAttempt);
            AssertCatalogued(ToSuccess);
            AssertCatalogued(Concluded);
        }

        public void Dispose()
        {
            Attempts.Dispose();
            Duration.Dispose();
            ToFirstAttempt.Dispose();
            ToSuccess.Dispose();
            Concluded.Dispose();
        }

        private static MetricCollector<T> Collect<T>(IServiceProvider services, string instrument) where T : struct =>
            new(services.GetRequiredService<IMeterFactory>(), DeliveryTelemetry.MeterName, instrument);
    }
}
