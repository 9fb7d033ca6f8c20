using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Webhooks.Sending;

/// <summary>The HTTP client deliveries use: guarded connections, no redirects, no cookies, no proxy.</summary>
public static class SendingRegistration
{
    public static IServiceCollection AddWebhookSending(this IServiceCollection services)
    {
        services.TryAddSingleton<HostResolver>();
        services.AddSingleton<GuardedConnector>();
        services.AddSingleton<WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The factory's request logging prints the URL, and chat webhook URLs carry their token in the path.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var connector = provider.GetRequiredService<GuardedConnector>();
                return new SocketsHttpHandler
                {
                    // A redirect is a failure, never followed: following one could reach an address the guard would refuse.
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    // A proxy would do the resolving and connecting, bypassing the guard.
                    UseProxy = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    ConnectCallback = connector.ConnectAsync,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    // No trace headers of its own: a delivery carries traceparent only when its webhook asks for it.
                    ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
                };
            });
        return services;
    }
}
