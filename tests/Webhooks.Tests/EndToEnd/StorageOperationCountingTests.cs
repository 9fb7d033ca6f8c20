using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.EndToEnd;

/// <summary>With counting on, the host reports every storage request its pipeline made, by kind, and resets on request.</summary>
[Collection(DeliveryStorageTests.Name)]
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
        var interval = TimeSpan.FromMilliseconds(200);
        await using var h = await DeliveryHarness.StartAsync(storage,
            ("Webhooks:Diagnostics:CountStorageOperations", "true"), ("Webhooks:Driver:ActivePollingInterval", "00:00:00.200"));
        var (webhook, _) = await h.CreateWebhookAsync();
        await h.Api.PostAsync("/api/diagnostics/reset", null);
        var window = Stopwatch.StartNew();

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        // Most of the second after the event, while both queues count as active.
        await Task.Delay(TimeSpan.FromMilliseconds(800));
        var operations = (await h.Api.GetFromJsonAsync<JsonElement>("/api/diagnostics")).GetProperty("storageOperations");
        var elapsed = window.Elapsed;

        // An upper bound only, from the window as measured, so a slow run only raises it: each of the two queues
        // pauses the interval after every read that finds nothing, and reads again at once only after one that
        // found messages (the event, its delivery step, and a few to spare). A queue read again at once, or at
        // the 20 ms default, would be read many times more. What reading at once costs is the benchmark's
        // figure (storage operations per delivery, by kind), not a claim this test makes.
        var receives = operations.TryGetProperty("queue.receive", out var n) ? n.GetInt64() : 0;
        var bound = 2 * ((long)(elapsed / interval) + 1) + 6;
        Assert.True(receives <= bound, $"{receives} receives in {elapsed}; at most {bound} with a {interval} pause after every empty read");
    }

    [Fact]
    public async Task WithoutCountingThereIsNoDiagnosticsRoute()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);

        Assert.Equal(HttpStatusCode.NotFound, (await h.Api.GetAsync("/api/diagnostics")).StatusCode);
    }
}
