using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Webhooks.Api;

namespace Webhooks.Standalone.LocalDevelopment;

/// <summary>Tells the person who ran the local command where the API is and which development key to send.</summary>
public static class LocalRunBanner
{
    public static void PrintWhenStarted(WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var url = addresses.FirstOrDefault() ?? "http://localhost:5080";
            var key = app.Configuration.GetSection($"{ApiOptions.Section}:Keys").Get<string[]>()?.FirstOrDefault() ?? "(none configured)";
            // Written to the console, not the log: it is the local development key, shown to the person at the terminal.
            Console.WriteLine($"""

                Webhook pipeline is running locally (storage: embedded Azurite in .azurite/).
                  Dashboard: {url}/   (paste the API key below; the customer portal is {url}/portal)
                  Receiver:  {url}{SampleReceiver.Path}   (a webhook URL this run answers itself: point a webhook here to watch deliveries arrive)
                  API:       {url}/api
                  API key:   {key}   (send it as the {ApiOptions.KeyHeader} header)
                  OpenAPI:   {url}/openapi/v1.json   reference: {url}/scalar
                  Try:       curl -H '{ApiOptions.KeyHeader}: {key}' {url}/api/event-types

                """);
        });
}
