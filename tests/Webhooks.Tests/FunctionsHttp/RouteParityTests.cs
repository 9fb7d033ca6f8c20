using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.FunctionsHostStandIn;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>The Functions app serves exactly the standalone host's API routes, under the same names, each behind a function key but the portal's.</summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class RouteParityTests(AzuriteFixture storage)
{
    [Fact]
    public async Task TheFunctionsAppAnswersExactlyTheStandaloneHostsMethodsAndRoutes()
    {
        await using var app = new PipelineApp(storage);
        var standalone = StandaloneRoutes(app).Select(r => $"{r.Method} {r.Route}").ToHashSet(StringComparer.Ordinal);
        var functions = FunctionsHttpHost.Functions.Where(IsApi).Select(f => $"{f.HttpMethod} {Canonical(f.Path)}").ToList();

        Assert.Equal(functions.Count, functions.Distinct(StringComparer.Ordinal).Count());
        var onlyStandalone = standalone.Except(functions).Order(StringComparer.Ordinal).ToArray();
        var onlyFunctions = functions.Except(standalone).Order(StringComparer.Ordinal).ToArray();
        Assert.True(onlyStandalone.Length == 0 && onlyFunctions.Length == 0,
            $"only the standalone host serves: [{string.Join(", ", onlyStandalone)}]; only the Functions app serves: [{string.Join(", ", onlyFunctions)}]");
        Assert.NotEmpty(standalone);
    }

    [Fact]
    public async Task EachFunctionIsNamedAsTheStandaloneEndpointOfItsRoute()
    {
        await using var app = new PipelineApp(storage);
        var names = StandaloneRoutes(app).ToDictionary(r => $"{r.Method} {r.Route}", r => r.Name, StringComparer.Ordinal);

        var misnamed = FunctionsHttpHost.Functions.Where(IsApi)
            .Where(f => !names.TryGetValue($"{f.HttpMethod} {Canonical(f.Path)}", out var name) || name != f.Name)
            .Select(f => $"{f} (standalone: {names.GetValueOrDefault($"{f.HttpMethod} {Canonical(f.Path)}") ?? "no endpoint"})")
            .ToArray();

        Assert.True(misnamed.Length == 0, "functions named unlike the standalone endpoint of their route: " + string.Join("; ", misnamed));
    }

    [Fact]
    public void EveryHttpFunctionButThePortalsRequiresAFunctionKey()
    {
        // Portal routes are opened by a session token the library verifies (a customer's browser has no function key); every other route needs a key.
        var wrong = FunctionsHttpHost.Functions.Where(IsApi)
            .Where(f => f.AuthLevel != (IsPortal(f) ? AuthorizationLevel.Anonymous : AuthorizationLevel.Function))
            .Select(f => $"{f}: {f.AuthLevel}").ToArray();

        Assert.Contains(FunctionsHttpHost.Functions, IsPortal);
        Assert.Contains(FunctionsHttpHost.Functions, f => !IsPortal(f));
        Assert.True(wrong.Length == 0, "HTTP functions at the wrong key level (portal: Anonymous, others: Function): " + string.Join("; ", wrong));
    }

    private static bool IsPortal(Webhooks.FunctionsHostStandIn.HttpFunction function) => function.Route.StartsWith("portal/", StringComparison.Ordinal);

    [Fact]
    public void EveryFunctionWithAnHttpTriggerIsFound()
    {
        // The parity above is only as good as the discovery: count [HttpTrigger] parameters directly.
        var triggers = typeof(Webhooks.Functions.Http.WebhookFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Count(m => m.GetParameters().Any(p => p.IsDefined(typeof(HttpTriggerAttribute))));

        Assert.Equal(triggers, FunctionsHttpHost.Functions.Select(f => f.Function.Method).Distinct().Count());
        Assert.All(FunctionsHttpHost.Functions, f => Assert.NotNull(f.Function.Method.GetCustomAttribute<FunctionAttribute>()));
    }

    /// <summary>
    /// Whether a function is part of the API rather than the dashboard page, which each host serves at its own
    /// path (<c>/</c> and <c>/api/dashboard/</c>) and which DashboardServingTests compares instead.
    /// </summary>
    private static bool IsApi(HttpFunction function) => function.Name != nameof(Webhooks.Functions.Http.DashboardFunction.Dashboard);

    /// <summary>The standalone's API endpoints (under /api): method, canonical route and endpoint name; the OpenAPI document, its viewer and the dashboard page are not part of the API.</summary>
    private static List<(string Method, string Route, string? Name)> StandaloneRoutes(PipelineApp app) =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (m.ToUpperInvariant(), Canonical(e.RoutePattern.RawText!), e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName)))];

    /// <summary>
    /// A route as routing reads it: its segments, joined. A group's <c>MapPost("/")</c> leaves a
    /// trailing slash in the raw text that routing ignores, so segments, not raw text, are compared.
    /// </summary>
    private static string Canonical(string route) =>
        "/" + string.Join('/', RoutePatternFactory.Parse(route).PathSegments.Select(s => string.Concat(s.Parts.Select(Part))));

    private static string Part(RoutePatternPart part) => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternParameterPart parameter => "{" + parameter.Name + (parameter.ParameterPolicies.Count > 0 ? ":" + string.Join(':', parameter.ParameterPolicies.Select(p => p.Content)) : "") + (parameter.IsOptional ? "?" : "") + "}",
        RoutePatternSeparatorPart separator => separator.Content,
        _ => part.ToString()!,
    };
}
