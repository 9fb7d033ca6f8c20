using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Delivery;

/// <summary>
/// One event published to a webhook of every type (generic, Slack, Discord, a Teams workflow and a
/// Teams connector), each on its own receiver path, and what each path received. Body tests run it
/// once per class and read the results, so the host starts once for all of them.
/// </summary>
public sealed class FormatScenario
{
    public const string Generic = "/generic";
    public const string Slack = "/slack";
    public const string Discord = "/discord";

    /// <summary>A loopback path that reads as a Power Automate workflow (no <c>/webhookb2/</c>).</summary>
    public const string TeamsWorkflow = "/workflows/4f1c/triggers/manual/paths/invoke";

    /// <summary>A loopback path that reads as an Office 365 connector.</summary>
    public const string TeamsConnector = "/webhookb2/4f1c@77aa/IncomingWebhook/9b2e/0d13";

    private FormatScenario(string organization, string eventId, IReadOnlyDictionary<string, ReceivedRequest> received)
    {
        Organization = organization;
        EventId = eventId;
        Received = received;
    }

    public string Organization { get; }
    public string EventId { get; }
    public IReadOnlyDictionary<string, ReceivedRequest> Received { get; }

    public ReceivedRequest On(string path) => Received[path];

    public JsonElement Body(string path) => JsonDocument.Parse(Received[path].Body).RootElement.Clone();

    /// <summary>Starts a host, creates the five webhooks, publishes the event <paramref name="makeEvent"/> builds, and waits for all five requests.</summary>
    public static async Task<FormatScenario> RunAsync(AzuriteFixture storage, Func<DeliveryHarness, JsonObject> makeEvent)
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        await h.CreateWebhookAsync(path: Generic);
        await h.CreateWebhookAsync(Slack, type: "slack");
        await h.CreateWebhookAsync(Discord, type: "discord");
        await h.CreateWebhookAsync(TeamsWorkflow, type: "teams");
        await h.CreateWebhookAsync(TeamsConnector, type: "teams");

        var eventId = await h.PublishAsync(makeEvent(h));

        string[] paths = [Generic, Slack, Discord, TeamsWorkflow, TeamsConnector];
        await Eventually.HoldsAsync(() => paths.All(p => h.ReceivedOn(p).Count > 0), "a request on every webhook's path",
            details: () => $"received on: {string.Join(", ", h.Receiver.Received.Select(r => r.Path))}\n{h.Problems()}");
        foreach (var path in paths)
        {
            Assert.Single(h.ReceivedOn(path));
        }
        return new FormatScenario(h.Org, eventId, paths.ToDictionary(p => p, p => h.ReceivedOn(p)[0], StringComparer.Ordinal));
    }
}
