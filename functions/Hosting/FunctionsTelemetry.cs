using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using Webhooks.Delivery;
using Webhooks.Tracing;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// Logs, traces and the pipeline's metrics through OpenTelemetry; exported to Application Insights
/// when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, authenticating with the app's identity
/// (the resource has local authentication off).
/// </summary>
public static class FunctionsTelemetry
{
    public static IHostApplicationBuilder AddFunctionsTelemetry(this IHostApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        telemetry.WithMetrics(metrics => metrics.AddMeter(DeliveryTelemetry.MeterName));
        // The Durable SDK's spans (orchestration, activity) carry the fan-out's context into the orchestration's work items.
        telemetry.WithTracing(tracing => tracing.AddSource(PipelineTracing.SourceName, "Microsoft.DurableTask"));
        if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            telemetry.UseAzureMonitorExporter(options => options.Credential = new DefaultAzureCredential());
        }
        return builder;
    }
}
