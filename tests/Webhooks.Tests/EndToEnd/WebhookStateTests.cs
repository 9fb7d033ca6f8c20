using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Webhooks.Delivery;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.EndToEnd;

/// <summary>What deliveries write back to their webhook: activity (coalesced), the failure streak, the disable metric, and what re-enabling clears.</summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class WebhookStateTests(AzuriteFixture storage)
{
    [Fact]
    public async Task ActivityIsWrittenBackOncePerFlushNotOncePerDelivery()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Delivery:ActivityFlushInterval", "01:00:00"));
        var (webhook, _) = await h.CreateWebhookAsync();
        var before = (await h.StoredWebhookAsync(webhook))!.ETag;
        for (var i = 0; i < 5; i++)
        {
            var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
            await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        }

        var unflushed = (await h.StoredWebhookAsync(webhook))!;
        Assert.Equal(before, unflushed.ETag);
        Assert.Null(unflushed.LastTriggeredAt);

        await h.App.Services.GetRequiredService<WebhookActivity>().FlushAsync(CancellationToken.None);

        var flushed = await h.WebhookAsync(webhook);
        Assert.Equal(200, flushed.GetProperty("lastStatusCode").GetInt32());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, flushed.GetProperty("lastTriggeredAt").ValueKind);
    }

    [Fact]
    public async Task AnActivityWriteBackDoesNotBreakAClientsIfMatch()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Delivery:ActivityFlushInterval", "01:00:00"));
        var (webhook, _) = await h.CreateWebhookAsync();
        var read = await h.Api.GetAsync(Routes.Webhook(h.Org, webhook));
        var etag = read.Headers.ETag!.ToString();
        var rowBefore = (await h.StoredWebhookAsync(webhook))!.ETag;

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        await h.App.Services.GetRequiredService<WebhookActivity>().FlushAsync(CancellationToken.None);
        Assert.NotEqual(rowBefore, (await h.StoredWebhookAsync(webhook))!.ETag);

        using var patch = new HttpRequestMessage(HttpMethod.Patch, Routes.Webhook(h.Org, webhook)) { Content = System.Net.Http.Json.JsonContent.Create(new { name = "renamed" }) };
        patch.Headers.TryAddWithoutValidation("If-Match", etag);
        var patched = await h.Api.SendAsync(patch);
        Assert.Equal(System.Net.HttpStatusCode.OK, patched.StatusCode);
        Assert.NotEqual(etag, patched.Headers.ETag!.ToString());

        using var stale = new HttpRequestMessage(HttpMethod.Patch, Routes.Webhook(h.Org, webhook)) { Content = System.Net.Http.Json.JsonContent.Create(new { name = "again" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(System.Net.HttpStatusCode.PreconditionFailed, (await h.Api.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task ActivityFlushedLateOrConcurrentlyByOtherHostsNeverMovesTheTimesBackwards()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Delivery:ActivityFlushInterval", "01:00:00"));
        var (webhook, _) = await h.CreateWebhookAsync();
        WebhookActivity AnotherHost() => ActivatorUtilities.CreateInstance<WebhookActivity>(h.App.Services);
        var earlier = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var later = earlier.AddMinutes(1);

        // A host that saw an older success flushes after one that saw a newer failure.
        var newer = AnotherHost();
        newer.Record(h.Org, webhook, later, 500, success: false);
        await newer.FlushAsync(CancellationToken.None);
        var late = AnotherHost();
        late.Record(h.Org, webhook, earlier, 200, success: true);
        await late.FlushAsync(CancellationToken.None);

        var afterLate = (await h.StoredWebhookAsync(webhook))!;
        Assert.Equal(later, afterLate.LastTriggeredAt);
        Assert.Equal(500, afterLate.LastStatusCode);
        Assert.Equal(earlier, afterLate.LastSuccessAt);

        // Eight hosts flush at once, in whatever order the table serves them: the newest of each column wins.
        var hosts = Enumerable.Range(1, 8).Select(_ => AnotherHost()).ToArray();
        for (var i = 0; i < hosts.Length; i++)
        {
            hosts[i].Record(h.Org, webhook, later.AddMinutes(i + 1), 201 + i, success: i % 2 == 0);
        }
        await Task.WhenAll(hosts.Select(host => host.FlushAsync(CancellationToken.None)));
        // A host that lost every race keeps its activity for its next flush.
        await Task.WhenAll(hosts.Select(host => host.FlushAsync(CancellationToken.None)));

        var afterRace = (await h.StoredWebhookAsync(webhook))!;
        Assert.Equal(later.AddMinutes(8), afterRace.LastTriggeredAt);
        Assert.Equal(208, afterRace.LastStatusCode);
        Assert.Equal(later.AddMinutes(7), afterRace.LastSuccessAt);
    }

    [Fact]
    public async Task AChatWebhookUrlEchoedByTheEndpointIsRedactedFromTheHistory()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        const string token = "T0001/B0002/s3cr3t-t0k3n-abcdef";
        h.Receiver.Respond = async context =>
        {
            context.Response.StatusCode = 404;
            context.Response.Headers.Location = $"http://{context.Request.Host}{context.Request.Path}";
            await context.Response.WriteAsync($"no such hook: {context.Request.Path}", CancellationToken.None);
        };
        var created = await h.Api.CreateWebhookAsync(h.Org, new Uri(h.Receiver.Url, "/services/" + token).ToString(), name: "slack", type: "slack");
        var webhook = created.Id;
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "exhausted");

        Assert.DoesNotContain(token, delivery.ToString(), StringComparison.Ordinal);
        Assert.Contains(Webhooks.Delivery.SecretUrlRedaction.Placeholder, delivery.GetProperty("attempts")[0].GetProperty("response").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, await StoredRows.DumpAsync(storage, "deliveries"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisablingAWebhookCountsInTheDisabledMetric()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        using var disabled = new MetricCollector<long>(h.App.Services.GetRequiredService<IMeterFactory>(), DeliveryTelemetry.MeterName, "webhooks.webhooks.disabled");
        h.Receiver.Respond = LoopbackReceiver.Status(410);
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "failed");

        await Eventually.HoldsAsync(() => disabled.GetMeasurementSnapshot().Count == 1, "the disabled metric");
        var measurement = disabled.GetMeasurementSnapshot()[0];
        Assert.Equal(1, measurement.Value);
        Assert.Equal("gone", measurement.Tags["reason"]);
    }

    [Fact]
    public async Task ReEnablingThroughTheApiClearsTheFailureStateAndDeliveriesResume()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Delivery:AutoDisableAfter", "01:00:00"));
        h.Receiver.Respond = LoopbackReceiver.Status(500);
        var (webhook, _) = await h.CreateWebhookAsync();
        var failing = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(failing, webhook), "exhausted");
        await Eventually.HoldsAsync(async () => (await h.StoredWebhookAsync(webhook))?.FailingSince is not null, "the failure streak");

        Assert.True((await h.Api.PatchAsJsonAsync(Routes.Webhook(h.Org, webhook), new { enabled = false })).IsSuccessStatusCode);
        Assert.True((await h.Api.PatchAsJsonAsync(Routes.Webhook(h.Org, webhook), new { enabled = true })).IsSuccessStatusCode);

        var reenabled = (await h.StoredWebhookAsync(webhook))!;
        Assert.True(reenabled.Enabled);
        Assert.Null(reenabled.FailingSince);
        Assert.Null(reenabled.DisabledReason);
        h.Receiver.Respond = _ => Task.CompletedTask;
        var next = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(next, webhook), "succeeded");
    }

    [Fact]
    public async Task PendingDeliveriesOfADisabledWebhookEndWithoutBeingSent()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Retry:Schedule:1", "00:00:03"));
        h.Receiver.Respond = LoopbackReceiver.Status(500);
        var (webhook, _) = await h.CreateWebhookAsync();
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        await Eventually.HoldsAsync(() => h.ReceivedOn("/hook").Count == 1, "the first attempt");

        Assert.True((await h.Api.PatchAsJsonAsync(Routes.Webhook(h.Org, webhook), new { enabled = false })).IsSuccessStatusCode);
        var delivery = await h.WaitForStatusAsync(webhook, deliveryId, "failed");

        Assert.Equal("webhook_disabled", delivery.GetProperty("failureReason").GetString());
        Assert.Single(h.ReceivedOn("/hook"));
        Assert.Equal(1, delivery.GetProperty("attemptCount").GetInt32());
    }
}
