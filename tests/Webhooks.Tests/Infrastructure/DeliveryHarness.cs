using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A delivery test's world over one host: the host's API client, a loopback receiver and a fresh
/// organization, with short helpers for the calls delivery tests make. <see cref="DeliveryHarness"/>
/// runs it on the standalone host; <c>StandInHarness</c> on the Functions host stand-in.
/// </summary>
public abstract class DeliveryWorld(HttpClient api, LoopbackReceiver receiver, IServiceProvider services, AzuriteFixture storage, string eventsQueue) : IAsyncDisposable
{
    public LoopbackReceiver Receiver { get; } = receiver;
    public HttpClient Api { get; } = api;
    public string Org { get; } = ApiCalls.NewOrganization();

    /// <summary>The host's container (its stores), for reading what the API does not show.</summary>
    protected IServiceProvider HostServices { get; } = services;

    /// <summary>Creates a webhook pointing at the receiver (at <paramref name="path"/>), of this world's organization unless <paramref name="org"/> is given.</summary>
    public Task<CreatedWebhook> CreateWebhookAsync(string? path = null, string? type = null, object? events = null, object? projects = null, bool? enabled = null, string? org = null) =>
        Api.CreateWebhookAsync(org ?? Org, path is null ? Receiver.Url.ToString() : new Uri(Receiver.Url, path).ToString(), name: type ?? "receiver", type, events, projects, enabled);

    /// <summary>Publishes onto the host's events queue as a producer does; returns the event id.</summary>
    public Task<string> PublishAsync(JsonObject envelope) => EventProducer.PublishAsync(storage, eventsQueue, envelope);

    public string DeliveryIdOf(string eventId, string webhookId) => ResourceIds.DeliveryId(Org, eventId, webhookId);

    public async Task<JsonElement> DeliveryAsync(string webhookId, string deliveryId) =>
        await (await Api.GetAsync(Routes.Delivery(Org, webhookId, deliveryId))).ReadJsonAsync();

    /// <summary>Waits until the delivery reaches <paramref name="status"/>; returns it with its attempts.</summary>
    public Task<JsonElement> WaitForStatusAsync(string webhookId, string deliveryId, string status, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync<JsonElement?>(async () =>
        {
            var response = await Api.GetAsync(Routes.Delivery(Org, webhookId, deliveryId));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }
            var delivery = await response.ReadJsonAsync();
            return delivery.GetProperty("status").GetString() == status ? delivery : null;
        }, $"delivery {deliveryId} to be {status}", timeout, Problems).ContinueWith(t => t.Result!.Value, TaskScheduler.Default);

    public async Task<JsonElement> WebhookAsync(string webhookId) =>
        await (await Api.GetAsync(Routes.Webhook(Org, webhookId))).ReadJsonAsync();

    /// <summary>The webhook as stored, with the columns the API does not show (failure streak, last success).</summary>
    public Task<Webhook?> StoredWebhookAsync(string webhookId) =>
        HostServices.GetRequiredService<WebhookStore>().GetAsync(Org, webhookId, CancellationToken.None);

    /// <summary>Points a stored webhook at <paramref name="url"/> past the URL rules, as a changed DNS record or a row saved under older rules would.</summary>
    public async Task RepointStoredAsync(string webhookId, string url)
    {
        var store = HostServices.GetRequiredService<WebhookStore>();
        var stored = await store.GetAsync(Org, webhookId, CancellationToken.None);
        Assert.NotNull(await store.ReplaceAsync(stored! with { Url = url, DisplayUrl = url }, CancellationToken.None));
    }

    /// <summary>
    /// The host's log lines at <paramref name="level"/> or above, with their exceptions; not the
    /// lifetime's, which announce the host's own listening address.
    /// </summary>
    public IReadOnlyList<string> LogLines(LogLevel level) => [.. HostServices.GetRequiredService<FakeLogCollector>().GetSnapshot()
        .Where(r => r.Level >= level && r.Category != "Microsoft.Hosting.Lifetime")
        .Select(r => $"{r.Category}: {r.Message} {r.Exception}")];

    /// <summary>The requests the receiver got on <paramref name="path"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> ReceivedOn(string path) => [.. Receiver.Received.Where(r => r.Path == path).OrderBy(r => r.At)];

    /// <summary>The host's warnings and errors, to explain a failure.</summary>
    public abstract string Problems();

    public abstract ValueTask DisposeAsync();
}

/// <summary>A delivery test's world on the standalone host (real clock, fast retry schedule) over Azurite.</summary>
public sealed class DeliveryHarness : DeliveryWorld
{
    private DeliveryHarness(PipelineApp app, LoopbackReceiver receiver, AzuriteFixture storage)
        : base(app.CreateApiClient(), receiver, app.Services, storage, app.EventsQueue) => App = app;

    public PipelineApp App { get; }

    public static Task<DeliveryHarness> StartAsync(AzuriteFixture storage, params (string Key, string? Value)[] settings) =>
        StartAsync(storage, configureServices: null, settings);

    /// <summary>As above, with services of the test's own added to the host's (a span collector, a fake).</summary>
    public static async Task<DeliveryHarness> StartAsync(AzuriteFixture storage, Action<IServiceCollection>? configureServices, params (string Key, string? Value)[] settings)
    {
        var receiver = await LoopbackReceiver.StartAsync();
        return new DeliveryHarness(new PipelineApp(storage, configureServices, DeliveryTestSettings.With(settings), realClock: true), receiver, storage);
    }

    public override string Problems() => string.Join("\n", App.Logs.GetSnapshot()
        .Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning)
        .Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}"));

    public override async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
