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
        var (webhook, _) = await h.CreateGenericAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await h.Api.PostAsync("/api/diagnostics/reset", null)).StatusCode);

        var eventId = await h.PublishAsync(h.Event());
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
    public async Task WithoutCountingThereIsNoDiagnosticsRoute()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);

        Assert.Equal(HttpStatusCode.NotFound, (await h.Api.GetAsync("/api/diagnostics")).StatusCode);
    }
}
