using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Webhooks.FunctionsHostStandIn;

/// <summary>One HTTP function of the app: an HTTP method it answers, its route under the host's route prefix, its key level.</summary>
public sealed record HttpFunction(FunctionDefinition Function, string HttpMethod, string Route, AuthorizationLevel AuthLevel, string RoutePrefix = "api")
{
    public string Name => Function.Name;

    /// <summary>The path template as the Functions host serves it.</summary>
    public string Path => $"/{RoutePrefix}/{Route}";

    public TemplateMatcher Matcher { get; } = new(TemplateParser.Parse($"{RoutePrefix}/{Route}"), new RouteValueDictionary());

    public override string ToString() => $"{HttpMethod} {Path} ({Name})";
}

/// <summary>
/// The app's HTTP functions served as the isolated worker's ASP.NET Core integration runs them: the
/// route template picks the function, route values bind to parameters by name, the function's
/// <see cref="IResult"/> is executed into the response. Function keys are the Functions host's check,
/// not the function's; the stand-in, like <c>func start</c>, asks for none.
/// </summary>
public static class HttpFunctions
{
    public static IReadOnlyList<HttpFunction> Of(FunctionCatalog catalog, string routePrefix = "api") =>
        [.. catalog.WithTrigger<HttpTriggerAttribute>()
            .SelectMany(f => (f.Trigger.Methods is { Length: > 0 } methods ? methods : ["*"])
                .Select(verb => new HttpFunction(f.Function, verb.ToUpperInvariant(), f.Trigger.Route ?? f.Function.Name, f.Trigger.AuthLevel, routePrefix)))];

    public static void MapHttpFunctions(this IEndpointRouteBuilder endpoints, IEnumerable<HttpFunction> functions)
    {
        foreach (var function in functions)
        {
            endpoints.MapMethods(function.Path, [function.HttpMethod], context =>
                InvokeAsync(function, context, context.Request.RouteValues, context.RequestServices.GetRequiredService<DurableTaskClient>()));
        }
    }

    /// <summary>Runs <paramref name="function"/> on <paramref name="context"/> and writes its result to the response.</summary>
    public static async Task InvokeAsync(HttpFunction function, HttpContext context, RouteValueDictionary routeValues, DurableTaskClient durable)
    {
        var definition = function.Function;
        var returned = await FunctionInvoker.InvokeAsync(definition, context.RequestServices, parameter => Bind(definition, parameter, context, routeValues, durable));
        var result = returned as IResult ?? throw new InvalidOperationException($"{function} returned {returned?.GetType().Name ?? "null"}, not an IResult.");
        await result.ExecuteAsync(context);
    }

    private static object? Bind(FunctionDefinition function, ParameterInfo parameter, HttpContext context, RouteValueDictionary routeValues, DurableTaskClient durable) =>
        parameter.ParameterType == typeof(HttpRequest) ? context.Request
        : parameter.ParameterType == typeof(CancellationToken) ? context.RequestAborted
        : parameter.ParameterType == typeof(DurableTaskClient) ? durable
        : parameter.ParameterType == typeof(string) && routeValues.TryGetValue(parameter.Name!, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture)
        // An optional route value the request left out (an empty catch-all): the Functions host binds null.
        : parameter.ParameterType == typeof(string) && new NullabilityInfoContext().Create(parameter).ReadState == NullabilityState.Nullable ? null
        : throw FunctionInvoker.Unbound(function, parameter);
}
