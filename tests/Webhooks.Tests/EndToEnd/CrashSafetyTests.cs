using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Ingestion;
using Webhooks.Model;
using Webhooks.Storage;
using Webhooks.Standalone.LocalDevelopment;
using Webhooks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Tests.EndToEnd;

/// <summary>
/// At least once, never lost: the host is a real process, killed with SIGKILL while deliveries
/// (first attempts and retries) are in flight, then restarted. Every delivery still arrives and
/// ends succeeded in the history; duplicates (deliveries the receiver accepted more than once) are
/// reported, not forbidden.
/// </summary>
[Collection(StorageTests.Name)]
public sealed class CrashSafetyTests(AzuriteFixture storage, ITestOutputHelper output)
{
    private const int Events = 40;
    private const int Webhooks = 10;

    [Fact]
    public async Task KillingTheHostMidFlightLosesNoDelivery()
    {
        // This app only manages and publishes; the child processes do all the delivering.
        await using var app = new PipelineApp(storage, settings: DeliveryTestSettings.With(("Webhooks:Driver:Enabled", "false")), realClock: true);
        await using var receiver = await LoopbackReceiver.StartAsync();
        var org = ApiCalls.NewOrganization();
        var api = app.CreateApiClient();
        var webhooks = new List<string>();
        for (var i = 0; i < Webhooks; i++)
        {
            // Every other webhook fails each delivery's first attempt, so retries are in flight too.
            var path = i % 2 == 0 ? "/steady" : "/flaky";
            webhooks.Add((await api.CreateWebhookAsync(org, new { name = $"w{i}", url = new Uri(receiver.Url, path).ToString() })).GetProperty("id").GetString()!);
        }
        var accepted = new ConcurrentDictionary<string, int>();
        var seen = new ConcurrentDictionary<string, int>();
        receiver.Respond = async context =>
        {
            var id = context.Request.Headers["webhook-id"].ToString();
            var first = seen.AddOrUpdate(id, 1, (_, n) => n + 1) == 1;
            await Task.Delay(20, CancellationToken.None);
            if (context.Request.Path == "/flaky" && first)
            {
                context.Response.StatusCode = 500;
                return;
            }
            accepted.AddOrUpdate(id, 1, (_, n) => n + 1);
        };
        var publisher = app.Services.GetRequiredService<EventPublisher>();
        var expected = new HashSet<string>();
        for (var e = 0; e < Events; e++)
        {
            var eventId = $"evt_crash_{e}";
            await publisher.PublishAsync(new WebhookEvent
            {
                Id = eventId,
                Type = "build_completed",
                OccurredAt = DateTimeOffset.UtcNow,
                Organization = new EventOrganization(org, "Crash test"),
                Project = "my-app",
                Data = new JsonObject { ["n"] = e },
            }, CancellationToken.None);
            expected.UnionWith(webhooks.Select(w => ResourceIds.DeliveryId(org, eventId, w)));
        }

        var settings = new Dictionary<string, string>
        {
            ["Webhooks:Storage:ConnectionString"] = storage.ConnectionString,
            ["Webhooks:Storage:EventsQueue"] = app.EventsQueue,
            ["Webhooks:Storage:DeliveriesQueue"] = app.DeliveriesQueue,
            ["Webhooks:Secrets:AllowDevelopmentStore"] = "true",
            ["Webhooks:Endpoints:AllowLoopback"] = "true",
            ["Webhooks:Retry:Schedule:0"] = "00:00:00",
            ["Webhooks:Retry:Schedule:1"] = "00:00:01",
            ["Webhooks:Retry:Schedule:2"] = "00:00:01",
            ["Webhooks:Retry:Schedule:3"] = "00:00:01",
            ["Webhooks:Sending:Timeout"] = "00:00:02",
            ["Webhooks:Delivery:LeaseMargin"] = "00:00:01",
            ["Webhooks:Driver:MaxPollingInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using (var doomed = HostProcess.Start(settings))
        {
            await Eventually.HoldsAsync(() => accepted.Count >= expected.Count / 4, "a quarter of the deliveries before the kill", TimeSpan.FromSeconds(60), () => doomed.Output);
            await doomed.KillAsync();
        }
        var acceptedAtKill = accepted.Count;
        await using var successor = HostProcess.Start(settings);

        await Eventually.HoldsAsync(() => expected.All(accepted.ContainsKey), "every delivery to be accepted after the restart", TimeSpan.FromSeconds(90),
            () => $"{expected.Count(accepted.ContainsKey)} of {expected.Count} accepted. {successor.Output}");
        var store = app.Services.GetRequiredService<DeliveryStore>();
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var webhook in webhooks)
            {
                var page = await store.ListAsync(new DeliveryListQuery(org, webhook, DeliveryStatus.Succeeded, null), 1000, null, CancellationToken.None);
                if (page.Items.Count != Events)
                {
                    return false;
                }
            }
            return true;
        }, "every delivery to be recorded as succeeded", TimeSpan.FromSeconds(60), () => successor.Output);

        var duplicates = accepted.Count(kv => kv.Value > 1);
        output.WriteLine($"{expected.Count} deliveries; {acceptedAtKill} accepted before the kill; lost: {expected.Count(d => !accepted.ContainsKey(d))}; accepted more than once: {duplicates}.");
        Assert.Equal(expected.Count, accepted.Count);
        Assert.Empty(accepted.Keys.Except(expected));
    }
}
