using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Webhooks.Functions.Hosting;

namespace Webhooks.Functions;

/// <summary>The Functions worker: ASP.NET Core integration, the shared pipeline, OpenTelemetry to Application Insights.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.AddWebhookFunctionsApp();
        builder.AddFunctionsTelemetry();
        builder.Build().Run();
    }
}
