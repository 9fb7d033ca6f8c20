using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Webhooks.Delivery;
using Webhooks.Tracing;

namespace Webhooks.Standalone.Telemetry;

/// <summary>
/// The standalone host's logs, traces and metrics through OpenTelemetry: over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with the other standard <c>OTEL_*</c> variables), to
/// Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (authenticating with
/// <see cref="DefaultAzureCredential"/> when <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says
/// <c>Authorization=AAD</c>, as the deployed Functions app does), and to the console only when
/// <c>Webhooks:Telemetry:Console</c> is on. With none of them, nothing is collected.
/// </summary>
public static class TelemetryExport
{
    public const string ServiceName = "webhooks-standalone";

    public static WebApplicationBuilder AddTelemetryExport(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var azureMonitor = !string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        var console = configuration.GetValue<bool>("Webhooks:Telemetry:Console");
        if (!otlp && !azureMonitor && !console)
        {
            return builder;
        }
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service instead.
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(ServiceName);
                }
            })
            .WithTracing(tracing =>
            {
                // Probes would fill the traces with nothing worth reading.
                tracing.AddSource(PipelineTracing.SourceName).AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health"));
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(DeliveryTelemetry.MeterName).AddAspNetCoreInstrumentation();
                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            })
            .WithLogging(logging =>
            {
                if (console)
                {
                    logging.AddConsoleExporter();
                }
            });
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }
        if (azureMonitor)
        {
            // Application Insights' own convention: Entra ID authentication when the authentication string asks for it
            // (a resource with local authentication off accepts nothing else), the connection string's key otherwise.
            var entraId = (configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] ?? "").Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase);
            telemetry.UseAzureMonitorExporter(options =>
            {
                if (entraId)
                {
                    options.Credential = new DefaultAzureCredential();
                }
            });
        }
        return builder;
    }
}
