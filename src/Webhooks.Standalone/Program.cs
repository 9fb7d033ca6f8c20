using Scalar.AspNetCore;
using Webhooks.Diagnostics;
using Webhooks.Hosting;
using Webhooks.QueueDriver;
using Webhooks.Standalone.Api;
using Webhooks.Standalone.LocalDevelopment;
using Webhooks.Standalone.Telemetry;
using Webhooks.Standalone.Tools;

if (PublishCommand.IsRequested(args))
{
    return await PublishCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
var embedded = await EmbeddedStorage.StartIfConfiguredAsync(builder);
builder.AddWebhookPipeline();
builder.AddQueueDriver();
builder.AddTelemetryExport();
builder.Services.AddHostedService<ApiKeyWarning>();
builder.Services.AddAccessPolicies();
builder.Services.AddOpenApi(options => options.AddDocumentTransformer(DocumentOpenApi.Describe));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi();
// Scalar serves its script from the package; its default fonts come from its CDN, which an offline machine cannot reach.
app.MapScalarApiReference(options => options.DisableDefaultFonts());
app.MapManagementApi();
app.MapDashboard();
app.MapPortalApi();
app.MapHealthRoutes();
if (embedded)
{
    app.MapSampleReceiver();
    LocalRunBanner.PrintWhenStarted(app);
}
await app.RunAsync();
return 0;

/// <summary>The host's entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
