using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Hosting;
using Webhooks.QueueDriver;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Options as the standalone host's registration binds and validates them from the given settings (nothing is started).</summary>
public static class ConfiguredOptions
{
    public static T Resolve<T>(params (string Key, string Value)[] settings)
        where T : class
    {
        using var host = Build(settings);
        return host.Services.GetRequiredService<IOptions<T>>().Value;
    }

    /// <summary>The validation a host runs when it starts, before any hosted service (what <c>ValidateOnStart</c> registers).</summary>
    public static void ValidateAtStart(params (string Key, string Value)[] settings)
    {
        using var host = Build(settings);
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    private static IHost Build((string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Webhooks:Secrets:AllowDevelopmentStore"] = "true",
        }.Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        builder.AddWebhookPipeline();
        builder.AddQueueDriver();
        return builder.Build();
    }
}
