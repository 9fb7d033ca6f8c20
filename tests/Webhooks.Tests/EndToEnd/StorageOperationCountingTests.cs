using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.EndToEnd;

/// <summary>With counting on, the host reports every storage request its pipeline made, by kind, and resets on request.</summary>
[Collection(StorageTests.Name)]
public sealed class StorageOperationCountingTests(AzuriteFixture storage)
{
    [Fact]
    public async Task TheHostReportsTheStorageOperationsOfADeliveryByKind()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Diagnostics:CountStorageOperations", "true"));
        var (webhook, _) = await h.CreateWebhookAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await h.Api.PostAsync("/api/diagnostics/reset", null)).StatusCode);

        // Over HTTP: the host's own send of the event is one of the operations counted.
        var envelope = TestEvents.Envelope(h.Org);
        Assert.Equal(HttpStatusCode.Accepted, (await h.Api.PostEventAsync(h.Org, envelope)).StatusCode);
        var eventId = envelope["id"]!.GetValue<string>();
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");

        var operations = (await h.Api.GetFromJsonAsync<JsonElement>("/api/diagnostics")).GetProperty("storageOperations");
        long Count(string kind) => operations.TryGetProperty(kind, out var n) ? n.GetInt64() : 0;
        Assert.Equal(1, Count("queue.send"));
        Assert.True(Count("queue.receive") >= 1);
        // The pending delivery and its recorded attempt: one batch each.
        Assert.True(Count("table.batch") >= 2);
        Assert.True(Count("table.read") >= 1);
    }

    [Fact]
    public async Task TheReportHasTheProcessFiguresTheBenchmarkReads()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Diagnostics:CountStorageOperations", "true"));

        var report = await h.Api.GetFromJsonAsync<JsonElement>("/api/diagnostics?collect=true");

        foreach (var figure in new[] { "workingSet", "peakWorkingSet", "managedHeap", "gcCommitted", "threads", "jitCompiledMethods" })
        {
            Assert.True(report.GetProperty(figure).GetInt64() > 0, $"{figure} is not reported");
        }
    }

    [Fact]
    public async Task AQueueThatJustHadAMessageIsReadAgainAfterTheActivePollingInterval()
    {
        var atOnce = await ReceivesAroundOneEventAsync("00:00:00");
        var every200Ms = await ReceivesAroundOneEventAsync("00:00:00.200");

        // Within the second after its event, a queue read again at once is read hundreds of times; one read every 200 ms, about five times.
        Assert.True(atOnce > 2 * every200Ms, $"{atOnce} receives when reading again at once, {every200Ms} when waiting 200 ms");
    }

    /// <summary>Storage receives from just before an event is published until 800 ms after, with the given active polling interval.</summary>
    private async Task<long> ReceivesAroundOneEventAsync(string activePollingInterval)
    {
        await using var h = await DeliveryHarness.StartAsync(storage,
            ("Webhooks:Diagnostics:CountStorageOperations", "true"), ("Webhooks:Driver:ActivePollingInterval", activePollingInterval));
        var (webhook, _) = await h.CreateWebhookAsync();
        await h.Api.PostAsync("/api/diagnostics/reset", null);

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await Task.Delay(TimeSpan.FromMilliseconds(800));

        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        var operations = (await h.Api.GetFromJsonAsync<JsonElement>("/api/diagnostics")).GetProperty("storageOperations");
        return operations.TryGetProperty("queue.receive", out var n) ? n.GetInt64() : 0;
    }

    [Fact]
    public async Task WithoutCountingThereIsNoDiagnosticsRoute()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);

        Assert.Equal(HttpStatusCode.NotFound, (await h.Api.GetAsync("/api/diagnostics")).StatusCode);
    }
}
