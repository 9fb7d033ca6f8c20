using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Webhooks.Standalone.Telemetry;
using Webhooks.Testing;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Operability;

/// <summary>
/// The standalone host's export: with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set it sends its traces,
/// metrics and logs over OTLP (here HTTP/protobuf to a Kestrel collector on loopback, read as bytes:
/// protobuf keeps strings as they are).
/// </summary>
[Collection(ManagementStorageTests.Name)]
public sealed class TelemetryExportTests(AzuriteFixture storage)
{
    [Fact]
    public async Task TheStandaloneHostExportsTracesMetricsAndLogsOverOtlp()
    {
        var received = new ConcurrentQueue<(string Path, string Body)>();
        await using var collector = await LoopbackServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value ?? "", Encoding.Latin1.GetString(body.ToArray())));
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await using var app = new PipelineApp(storage, settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        }, realClock: true);
        using var client = app.CreateApiClient();

        using var listed = await client.GetAsync(Routes.Webhooks(ApiCalls.NewOrganization()));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);

        bool Has(string path, string text) => received.Any(r => r.Path == path && r.Body.Contains(text, StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => Has("/v1/traces", "/api/orgs/{orgId}/webhooks") && Has("/v1/traces", TelemetryExport.ServiceName),
            "the API call's span exported over OTLP", details: () => string.Join(", ", received.Select(r => r.Path).Distinct()));
        await Eventually.HoldsAsync(() => Has("/v1/metrics", "http.server.request.duration"), "the request metrics exported over OTLP");
        await Eventually.HoldsAsync(() => received.Any(r => r.Path == "/v1/logs"), "logs exported over OTLP");
    }

    [Fact]
    public async Task TheStandaloneHostExportsToApplicationInsightsWhenGivenAConnectionString()
    {
        var received = new ConcurrentQueue<(string Path, string Body)>();
        await using var ingestion = await LoopbackServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            var source = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
                ? new System.IO.Compression.GZipStream(context.Request.Body, System.IO.Compression.CompressionMode.Decompress)
                : context.Request.Body;
            await source.CopyToAsync(body);
            var text = Encoding.UTF8.GetString(body.ToArray());
            received.Enqueue((context.Request.Path.Value ?? "", text));
            var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            await context.Response.WriteAsJsonAsync(new { itemsReceived = items, itemsAccepted = items, errors = Array.Empty<object>() });
        });
        await using var app = new PipelineApp(storage, settings: new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={ingestion.BaseUrl}",
        }, realClock: true);
        using var client = app.CreateApiClient();

        using var listed = await client.GetAsync(Routes.Webhooks(ApiCalls.NewOrganization()));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);

        await Eventually.HoldsAsync(() => received.Any(r => r.Path.EndsWith("/track", StringComparison.Ordinal) && r.Body.Contains("/api/orgs/{orgId}/webhooks", StringComparison.Ordinal)),
            "the API call's request telemetry sent to the ingestion endpoint", TimeSpan.FromSeconds(60), () => string.Join(", ", received.Select(r => r.Path).Distinct()));
    }

    [Fact]
    public async Task NothingIsExportedWhenNoExporterIsConfigured()
    {
        await using var app = new PipelineApp(storage);

        Assert.Null(app.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)));
    }
}
