using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Webhooks.Diagnostics;

/// <summary>
/// <c>/health/live</c> (the process answers: no dependency is asked, so a storage outage never gets
/// the host restarted) and <c>/health/ready</c> (the storage account, and Key Vault when one is
/// configured, answered within the timeout). Open to anyone, like a load balancer's probe, and they
/// say only each check's name and state.
/// </summary>
public static class HealthEndpoints
{
    public const string Storage = "storage";

    public const string KeyVault = "keyVault";

    private const string Ready = "ready";

    public static IServiceCollection AddPipelineHealthChecks(this IServiceCollection services, bool keyVault)
    {
        var checks = services.AddHealthChecks().AddCheck<StorageHealthCheck>(Storage, tags: [Ready]);
        services.AddSingleton<StorageHealthCheck>();
        if (keyVault)
        {
            checks.AddCheck<KeyVaultHealthCheck>(KeyVault, tags: [Ready]);
            services.AddSingleton<KeyVaultHealthCheck>();
        }
        return services;
    }

    public static IEndpointRouteBuilder MapHealthRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().ExcludeFromDescription();
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var answer = new HealthAnswer(
            report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthCheckAnswer(e.Value.Status.ToString(), e.Value.Description)));
        return JsonSerializer.SerializeAsync(context.Response.Body, answer, HealthJson.Options, context.RequestAborted);
    }
}

/// <summary>A health answer: the overall state, and each check's state with its fixed description when it failed.</summary>
public sealed record HealthAnswer(string Status, IReadOnlyDictionary<string, HealthCheckAnswer> Checks);

public sealed record HealthCheckAnswer(string Status, string? Description);

internal static class HealthJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
