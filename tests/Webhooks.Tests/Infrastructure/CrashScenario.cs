using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Storage;
using Webhooks.Testing;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// At least once, never lost, for any host run as a real process: webhooks of which every other one
/// fails each delivery's first attempt (so retries are in flight too), events published, the host killed
/// with SIGKILL once a quarter of the deliveries have been accepted, and a successor started on the same
/// storage. Every delivery must still be accepted and recorded as succeeded; duplicates (a delivery
/// accepted more than once, which receivers dedupe by webhook-id) are counted and reported.
/// </summary>
public sealed class CrashScenario(AzuriteFixture storage, Action<string> report)
{
    private const int Webhooks = 10;

    public async Task RunAsync(int events, Func<PipelineApp, Dictionary<string, string>> hostSettings, string hostAssembly, TimeSpan patience)
    {
        // This app only manages and publishes; the child processes do all the delivering.
        await using var app = new PipelineApp(storage, settings: DeliveryTestSettings.With(("Webhooks:Driver:Enabled", "false")), realClock: true);
        await using var receiver = await LoopbackReceiver.StartAsync();
        var org = ApiCalls.NewOrganization();
        var api = app.CreateApiClient();
        var webhooks = new List<string>();
        for (var i = 0; i < Webhooks; i++)
        {
            var path = i % 2 == 0 ? "/steady" : "/flaky";
            webhooks.Add((await api.CreateWebhookAsync(org, new Uri(receiver.Url, path).ToString(), name: $"w{i}")).Id);
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
        var expected = new HashSet<string>();
        for (var e = 0; e < events; e++)
        {
            var eventId = await EventProducer.PublishAsync(storage, app.EventsQueue, TestEvents.Envelope(org, id: $"evt_crash_{e}", data: new { n = e }));
            expected.UnionWith(webhooks.Select(w => ResourceIds.DeliveryId(org, eventId, w)));
        }

        var settings = hostSettings(app);
        await using (var doomed = HostProcess.Start(settings, assembly: hostAssembly))
        {
            await Eventually.HoldsAsync(() => accepted.Count >= expected.Count / 4, "a quarter of the deliveries before the kill", patience, () => doomed.Output);
            await doomed.KillAsync();
        }
        var acceptedAtKill = accepted.Count;
        await using var successor = HostProcess.Start(settings, assembly: hostAssembly);

        await Eventually.HoldsAsync(() => expected.All(accepted.ContainsKey), "every delivery to be accepted after the restart", patience,
            () => $"{expected.Count(accepted.ContainsKey)} of {expected.Count} accepted. {successor.Output}");
        var store = app.Services.GetRequiredService<DeliveryStore>();
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var webhook in webhooks)
            {
                var page = await store.ListAsync(new DeliveryListQuery(org, webhook, DeliveryStatus.Succeeded, null), 1000, null, CancellationToken.None);
                if (page.Items.Count != events)
                {
                    return false;
                }
            }
            return true;
        }, "every delivery to be recorded as succeeded", patience, () => successor.Output);

        var duplicates = accepted.Count(kv => kv.Value > 1);
        report($"{expected.Count} deliveries; {acceptedAtKill} accepted before the kill; lost: {expected.Count(d => !accepted.ContainsKey(d))}; accepted more than once: {duplicates}.");
        Assert.Equal(expected.Count, accepted.Count);
        Assert.Empty(accepted.Keys.Except(expected));
    }

    /// <summary>Settings every host of the scenario gets: this app's storage and queues, loopback receivers, a fast retry schedule, quiet logs.</summary>
    public static Dictionary<string, string> CommonSettings(AzuriteFixture storage, PipelineApp app) => new()
    {
        ["Webhooks:Storage:ConnectionString"] = storage.ConnectionString,
        ["Webhooks:Storage:EventsQueue"] = app.EventsQueue,
        ["Webhooks:Secrets:AllowDevelopmentStore"] = "true",
        ["Webhooks:Endpoints:AllowLoopback"] = "true",
        ["Webhooks:Retry:Schedule:0"] = "00:00:00",
        ["Webhooks:Retry:Schedule:1"] = "00:00:01",
        ["Webhooks:Retry:Schedule:2"] = "00:00:01",
        ["Webhooks:Retry:Schedule:3"] = "00:00:01",
        ["Webhooks:Sending:Timeout"] = "00:00:02",
        ["Logging:LogLevel:Default"] = "Warning",
        // The flaky receiver fails every delivery's first attempt, which a burst turns into runs of failures that
        // open the circuit; probes then wait minutes. What this scenario checks is that nothing is lost, not protection.
        ["Webhooks:Protection:CircuitThreshold"] = "0",
    };
}
