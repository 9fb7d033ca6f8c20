using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// The standalone host over real Azurite, with a fake clock and a log collector, so tests can move
/// time and read every log line the app wrote. Each app has queues of its own, so no test consumes
/// another's messages; delivery tests use the real clock, since queue delays run in real time.
/// </summary>
public sealed class PipelineApp(AzuriteFixture storage, Action<IServiceCollection>? configureServices = null, IDictionary<string, string?>? settings = null, bool realClock = false)
    : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-api-key-0123456789";

    private readonly string queueSuffix = Guid.NewGuid().ToString("N")[..12];

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public string EventsQueue => "ev-" + queueSuffix;

    public string DeliveriesQueue => "dl-" + queueSuffix;

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    /// <summary>A client that sends the API key.</summary>
    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // As in Development: a registration missing from the container fails at start, not on first use.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateOnBuild = true;
            o.ValidateScopes = true;
        });
        builder.UseSetting("Webhooks:Storage:ConnectionString", storage.ConnectionString);
        builder.UseSetting("Webhooks:Api:Keys:0", ApiKey);
        builder.UseSetting("Webhooks:Endpoints:AllowLoopback", "false");
        builder.UseSetting("Webhooks:Secrets:AllowDevelopmentStore", "true");
        builder.UseSetting("Webhooks:Storage:EventsQueue", EventsQueue);
        builder.UseSetting("Webhooks:Storage:DeliveriesQueue", DeliveriesQueue);
        builder.UseSetting("Webhooks:Driver:MaxPollingInterval", "00:00:00.200");
        // The backlog gauges scan every organization's webhooks: only the tests of those gauges turn them on.
        builder.UseSetting("Webhooks:Telemetry:SampleInterval", "00:00:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        builder.ConfigureTestServices(services =>
        {
            if (!realClock)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }
            configureServices?.Invoke(services);
        });
    }

    public static JsonContent Json(object body) => JsonContent.Create(body);
}
