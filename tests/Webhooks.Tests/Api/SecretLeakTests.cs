using System.Text;
using Webhooks.Signing;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>
/// A generic webhook's signing secret and a chat webhook's URL token are used to deliver but never
/// stored beside deliveries or webhooks, shown by the delivery API, or logged.
/// </summary>
[Collection(StorageTests.Name)]
public sealed class SecretLeakTests(AzuriteFixture storage)
{
    private const string SlackPath = "/services/T1/B1/secret-token-xyz";
    private const string SlackToken = "secret-token-xyz";

    [Fact]
    public async Task SecretsAppearInNoTableApiResponseOrLogAfterDeliveries()
    {
        // Every category at every level: a secret in a debug line is a leak too.
        await using var h = await DeliveryHarness.StartAsync(storage,
            ("Logging:LogLevel:Default", "Trace"), ("Logging:LogLevel:Microsoft.AspNetCore", "Trace"), ("Logging:LogLevel:Azure.Core", "Trace"));
        var calls = 0;
        h.Receiver.Respond = context =>
        {
            // Each endpoint fails once, so failed and retried attempts are recorded too.
            context.Response.StatusCode = Interlocked.Increment(ref calls) <= 2 ? 500 : 200;
            return Task.CompletedTask;
        };
        var (generic, secret) = await h.CreateWebhookAsync();
        var slack = (await h.CreateWebhookAsync(SlackPath, type: "slack")).Id;
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org, message: "Build 117 is out"));
        var genericDelivery = h.DeliveryIdOf(eventId, generic);
        var slackDelivery = h.DeliveryIdOf(eventId, slack);
        await h.WaitForStatusAsync(generic, genericDelivery, "succeeded");
        await h.WaitForStatusAsync(slack, slackDelivery, "succeeded");
        var ping = (await (await h.Api.PostAsync(Routes.TestPing(h.Org, slack), null)).ReadJsonAsync()).GetProperty("id").GetString()!;
        await h.WaitForStatusAsync(slack, ping, "succeeded");
        await h.Api.PostAsync(Routes.Resend(h.Org, generic, genericDelivery), null);
        await Eventually.HoldsAsync(async () => (await h.DeliveryAsync(generic, genericDelivery)).GetProperty("attemptCount").GetInt32() == 3
            && (await h.DeliveryAsync(generic, genericDelivery)).GetProperty("status").GetString() == "succeeded", "the resend");
        await h.WaitForQueuesToSettleAsync(storage);
        await Eventually.HoldsAsync(async () => (await h.WebhookAsync(slack)).GetProperty("lastStatusCode").ValueKind == System.Text.Json.JsonValueKind.Number, "the activity flush");

        // The deliveries really used both secrets, and the search finds them where they belong.
        var secretStore = await StoredRows.DumpAsync(storage, "devsecrets");
        Assert.Contains(secret, secretStore, StringComparison.Ordinal);
        Assert.Contains(SlackToken, secretStore, StringComparison.Ordinal);
        Assert.NotEmpty(h.ReceivedOn(SlackPath));
        Assert.All(h.ReceivedOn("/hook"), r => Assert.True(WebhookVerifier.VerifyStandard(secret, r.Headers["webhook-id"], r.Headers["webhook-timestamp"],
            r.Headers["webhook-signature"], Encoding.UTF8.GetBytes(r.Body), r.At)));

        var deliveries = await StoredRows.DumpAsync(storage, "deliveries");
        Assert.Contains(genericDelivery, deliveries, StringComparison.Ordinal);
        Assert.Contains(slackDelivery, deliveries, StringComparison.Ordinal);
        Assert.Contains("Build 117 is out", deliveries, StringComparison.Ordinal);
        var webhooks = await StoredRows.DumpAsync(storage, "webhooks");
        Assert.Contains(slack, webhooks, StringComparison.Ordinal);

        var api = new StringBuilder();
        foreach (var (webhook, ids) in new[] { (generic, new[] { genericDelivery }), (slack, new[] { slackDelivery, ping }) })
        {
            api.Append(await h.Api.GetStringAsync(Routes.Webhook(h.Org, webhook)));
            api.Append(await h.Api.GetStringAsync(Routes.Deliveries(h.Org, webhook)));
            foreach (var id in ids)
            {
                api.Append(await h.Api.GetStringAsync(Routes.Delivery(h.Org, webhook, id)));
            }
        }
        api.Append(await h.Api.GetStringAsync(Routes.Webhooks(h.Org)));
        Assert.Contains("Build 117 is out", api.ToString(), StringComparison.Ordinal);

        var logs = h.App.LogText();
        Assert.Contains(eventId, logs, StringComparison.Ordinal);
        Assert.Contains(slackDelivery, logs, StringComparison.Ordinal);

        var surfaces = new Dictionary<string, string>
        {
            ["deliveries table"] = deliveries,
            ["webhooks table"] = webhooks,
            ["delivery API"] = api.ToString(),
            ["app log"] = logs,
        };
        var leaks = surfaces
            .SelectMany(s => new[] { ("signing secret", secret), ("slack token", SlackToken) }
                .Where(x => s.Value.Contains(x.Item2, StringComparison.Ordinal))
                .Select(x => $"{x.Item1} in the {s.Key}: …{Around(s.Value, x.Item2)}…"))
            .ToArray();
        Assert.True(leaks.Length == 0, string.Join("\n", leaks));
    }

    private static string Around(string text, string value)
    {
        var at = text.IndexOf(value, StringComparison.Ordinal);
        var from = Math.Max(0, at - 120);
        return text[from..Math.Min(text.Length, at + value.Length + 40)];
    }
}
