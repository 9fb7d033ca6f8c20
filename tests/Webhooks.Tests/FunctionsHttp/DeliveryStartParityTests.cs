using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.DurableDriver;
using Webhooks.QueueDriver;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>
/// Requests that start deliveries. Through an HTTP function they start a Durable orchestration
/// per delivery run (instance id derived from the delivery and run, a <see cref="DeliveryTicket"/>
/// as input) and put nothing on the delivery queue; through the standalone host they enqueue a step
/// instead. Both answer alike, and the standalone host shows what the function started.
/// Deliveries are made by a harness whose driver runs; resends, tests and recovers go through a
/// second app over the same tables with its driver off, so its delivery queue keeps what was enqueued.
/// </summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class DeliveryStartParityTests(AzuriteFixture storage)
{
    private const string Orchestrator = "DeliverWebhook";

    /// <summary>Members that differ between two deliveries started by equivalent requests.</summary>
    private static readonly string[] PerDelivery = ["id", "eventId", "createdAt", "nextAttemptAt", "lastDurationMs"];

    [Fact]
    public async Task AResendThroughAFunctionStartsRunTwoAsAnOrchestrationWhereTheStandaloneEnqueuesAStep()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var first = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org)), webhook);
        var second = h.DeliveryIdOf(await h.PublishAsync(TestEvents.Envelope(h.Org)), webhook);
        await h.WaitForStatusAsync(webhook, first, "succeeded");
        await h.WaitForStatusAsync(webhook, second, "succeeded");
        await using var quiet = QuietApp();
        using var standalone = quiet.CreateApiClient();
        var functions = new FunctionsHttpHost(quiet.Services);
        var root = Routes.Deliveries(h.Org, webhook);

        var viaFunctions = await functions.SendAsync(ApiRequest.Post($"{root}/{first}/resend"));
        var enqueuedByFunctions = await StepsAsync(quiet);
        var viaStandalone = await standalone.SendAsync(ApiRequest.Post($"{root}/{second}/resend"));

        HostParity.AssertSameShape(ApiRequest.Post($"{root}/{first}/resend"), viaStandalone, viaFunctions, PerDelivery);
        Assert.Equal(202, viaFunctions.Status);
        Assert.Equal(first, viaFunctions.Text("id"));
        Assert.Equal($"{root}/{first}", viaFunctions.Location);
        Assert.Equal($"{root}/{second}", viaStandalone.Location);
        var started = Assert.Single(functions.Durable.Scheduled);
        Assert.Equal(Orchestrator, started.Name);
        Assert.Equal($"{first}-run2", started.InstanceId);
        AssertTicket(quiet, started, h.Org, webhook, first, run: 2);
        Assert.Empty(enqueuedByFunctions);
        var step = Assert.Single(await StepsAsync(quiet));
        Assert.Equal(new StepMessage(h.Org, webhook, second, Run: 2, Attempt: 1), step);
        var shown = await standalone.SendAsync(ApiRequest.Get($"{root}/{first}"));
        Assert.Equal("pending", shown.Text("status"));
        Assert.Equal(viaFunctions.Text("nextAttemptAt"), shown.Text("nextAttemptAt"));
    }

    [Fact]
    public async Task ATestThroughAFunctionStartsItsDeliveryAsAnOrchestrationWhereTheStandaloneEnqueuesAStep()
    {
        await using var quiet = QuietApp();
        using var standalone = quiet.CreateApiClient();
        var functions = new FunctionsHttpHost(quiet.Services);
        var org = ApiCalls.NewOrganization();
        var webhook = (await standalone.CreateWebhookAsync(org)).Id;
        var request = ApiRequest.Post(Routes.TestPing(org, webhook));

        var viaFunctions = await functions.SendAsync(request);
        var enqueuedByFunctions = await StepsAsync(quiet);
        var viaStandalone = await standalone.SendAsync(request);

        HostParity.AssertSameShape(request, viaStandalone, viaFunctions, PerDelivery);
        Assert.Equal(202, viaFunctions.Status);
        var delivery = viaFunctions.Text("id")!;
        Assert.Equal(Routes.Delivery(org, webhook, delivery), viaFunctions.Location);
        var started = Assert.Single(functions.Durable.Scheduled);
        Assert.Equal(Orchestrator, started.Name);
        Assert.Equal(delivery, started.InstanceId);
        AssertTicket(quiet, started, org, webhook, delivery, run: 1);
        Assert.Empty(enqueuedByFunctions);
        var step = Assert.Single(await StepsAsync(quiet));
        Assert.Equal(new StepMessage(org, webhook, viaStandalone.Text("id")!, Run: 1, Attempt: 1), step);
        var shown = await standalone.SendAsync(ApiRequest.Get(Routes.Delivery(org, webhook, delivery)));
        Assert.Equal("pending", shown.Text("status"));
        Assert.Equal("webhook.test", shown.Text("eventType"));
        Assert.Equal(webhook, shown.Json!["event"]!["data"]!["webhookId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARecoverThroughAFunctionStartsAnOrchestrationPerFailedDeliveryWhereTheStandaloneEnqueuesSteps()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        h.Receiver.Respond = LoopbackReceiver.Status(500);
        var (forFunctions, _) = await h.CreateWebhookAsync(path: "/functions");
        var (forStandalone, _) = await h.CreateWebhookAsync(path: "/standalone");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var events = new[] { await h.PublishAsync(TestEvents.Envelope(h.Org)), await h.PublishAsync(TestEvents.Envelope(h.Org, "build_failed")) };
        foreach (var webhook in new[] { forFunctions, forStandalone })
        {
            foreach (var eventId in events)
            {
                await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "exhausted");
            }
        }
        await using var quiet = QuietApp();
        using var standalone = quiet.CreateApiClient();
        var functions = new FunctionsHttpHost(quiet.Services);
        var query = "?since=" + Uri.EscapeDataString(since.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var request = ApiRequest.Post($"{Routes.Recover(h.Org, forFunctions)}{query}");

        var viaFunctions = await functions.SendAsync(request);
        var enqueuedByFunctions = await StepsAsync(quiet);
        var viaStandalone = await standalone.SendAsync(request with { PathAndQuery = $"{Routes.Recover(h.Org, forStandalone)}{query}" });

        HostParity.AssertSameAnswer(request, viaStandalone, viaFunctions);
        Assert.Equal(202, viaFunctions.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"resent":2,"complete":true}"""), viaFunctions.Json), viaFunctions.Body);
        var expected = events.Select(e => h.DeliveryIdOf(e, forFunctions)).Order(StringComparer.Ordinal).ToArray();
        var started = functions.Durable.Scheduled.OrderBy(s => s.InstanceId, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Select(d => $"{d}-run2"), started.Select(s => s.InstanceId));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(Orchestrator, started[i].Name);
            AssertTicket(quiet, started[i], h.Org, forFunctions, expected[i], run: 2);
        }
        Assert.Empty(enqueuedByFunctions);
        var steps = (await StepsAsync(quiet)).OrderBy(s => s.DeliveryId, StringComparer.Ordinal);
        Assert.Equal(
            events.Select(e => new StepMessage(h.Org, forStandalone, h.DeliveryIdOf(e, forStandalone), Run: 2, Attempt: 1)).OrderBy(s => s.DeliveryId, StringComparer.Ordinal),
            steps);
        foreach (var delivery in expected)
        {
            var shown = await standalone.SendAsync(ApiRequest.Get(Routes.Delivery(h.Org, forFunctions, delivery)));
            Assert.Equal("pending", shown.Text("status"));
        }
    }

    [Fact]
    public async Task AnEventPublishedThroughAFunctionIsDeliveredByTheStandaloneAndAnsweredAlike()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var functions = new FunctionsHttpHost(h.App.Services);
        var viaFunctionsEvent = TestEvents.Envelope(h.Org, message: "through a function");
        var viaStandaloneEvent = TestEvents.Envelope(h.Org, message: "through a function");
        var path = Routes.Events(h.Org);

        var viaFunctions = await functions.SendAsync(ApiRequest.Json("POST", path, viaFunctionsEvent.ToJsonString()));
        var viaStandalone = await h.Api.SendAsync(ApiRequest.Json("POST", path, viaStandaloneEvent.ToJsonString()));

        HostParity.AssertSameShape(ApiRequest.Json("POST", path, "{}"), viaStandalone, viaFunctions, "id");
        Assert.Equal(202, viaFunctions.Status);
        var eventId = viaFunctionsEvent["id"]!.GetValue<string>();
        Assert.Equal(eventId, viaFunctions.Text("id"));
        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        Assert.Equal("through a function", delivery.GetProperty("event").GetProperty("message").GetString());
        Assert.Empty(functions.Durable.Scheduled);
    }

    /// <summary>An app over the same tables whose queue driver is off: what it enqueues stays on its delivery queue.</summary>
    private PipelineApp QuietApp() =>
        new(storage, settings: DeliveryTestSettings.With(("Webhooks:Driver:Enabled", "false")), realClock: true);

    /// <summary>Every step on the app's delivery queue, visible or not yet.</summary>
    private async Task<List<StepMessage>> StepsAsync(PipelineApp app)
    {
        var queue = new QueueClient(storage.ConnectionString, app.DeliveriesQueue);
        await queue.CreateIfNotExistsAsync();
        var count = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        var steps = new List<StepMessage>();
        if (count == 0)
        {
            return steps;
        }
        // Steps of an API call are visible at once (their delivery's next attempt is now); wait for any delayed ones.
        await Eventually.HoldsAsync(async () => (await queue.PeekMessagesAsync(32)).Value.Length == count, $"{count} steps to be visible");
        foreach (var message in (await queue.PeekMessagesAsync(32)).Value)
        {
            steps.Add(StepMessage.TryDecode(message.MessageText) ?? throw new InvalidOperationException("Not a step: " + message.MessageText));
        }
        return steps;
    }

    private static void AssertTicket(PipelineApp app, ScheduledOrchestration started, string org, string webhook, string delivery, int run)
    {
        var ticket = Assert.IsType<DeliveryTicket>(started.Input);
        Assert.Equal((org, webhook, delivery, run), (ticket.OrganizationId, ticket.WebhookId, ticket.DeliveryId, ticket.Run));
        Assert.Equal(started.InstanceId, ticket.InstanceId);
        var policy = app.Services.GetRequiredService<IOptions<RetryPolicy>>().Value;
        Assert.Equal(policy.Schedule, ticket.Policy.Schedule);
        Assert.Equal((policy.JitterFraction, policy.RetryAfterCap), (ticket.Policy.JitterFraction, ticket.Policy.RetryAfterCap));
        Assert.Null(started.StartAt);
    }
}
