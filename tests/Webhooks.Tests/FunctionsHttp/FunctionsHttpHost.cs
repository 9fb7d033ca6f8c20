using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>One HTTP function of the Functions app: an HTTP method it answers, its route under <c>/api</c>, its key level.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, string HttpMethod, string Route, AuthorizationLevel AuthLevel)
{
    /// <summary>The path template as the Functions host serves it (the host's route prefix is <c>api</c>, see host.json).</summary>
    public string Path => "/api/" + Route;

    public TemplateMatcher Matcher { get; } = new(TemplateParser.Parse("api/" + Route), new RouteValueDictionary());

    public override string ToString() => $"{HttpMethod} {Path} ({Name})";
}

/// <summary>
/// Runs the Functions app's HTTP functions in process, as the isolated worker's ASP.NET Core
/// integration does: the route template picks the function, route values bind to parameters by
/// name, the function's <see cref="IResult"/> is executed into the response. The request's
/// services are the standalone app's container, so both hosts use the same library services,
/// storage and JSON settings; no function key is needed (the Functions host checks it, not the function).
/// </summary>
public sealed class FunctionsHttpHost(IServiceProvider services)
{
    /// <summary>Every HTTP-triggered function of the Functions assembly, one entry per HTTP method it answers.</summary>
    public static IReadOnlyList<HttpFunction> Functions { get; } = Discover();

    /// <summary>The Durable client handed to functions that take one; it remembers what they scheduled.</summary>
    public RecordingDurableClient Durable { get; } = new();

    public async Task<ApiAnswer> SendAsync(ApiRequest request)
    {
        var (pathText, query) = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal) is var q and >= 0
            ? (request.PathAndQuery[..q], request.PathAndQuery[q..])
            : (request.PathAndQuery, "");
        var path = PathString.FromUriComponent(pathText);
        var matches = new List<(HttpFunction Function, RouteValueDictionary Values)>();
        foreach (var function in Functions.Where(f => string.Equals(f.HttpMethod, request.Method, StringComparison.OrdinalIgnoreCase)))
        {
            var values = new RouteValueDictionary();
            if (function.Matcher.TryMatch(path, values))
            {
                matches.Add((function, values));
            }
        }
        if (matches.Count != 1)
        {
            throw new InvalidOperationException($"{request} matches {matches.Count} HTTP functions: {string.Join(", ", matches.Select(m => m.Function))}");
        }
        var (chosen, routeValues) = matches[0];

        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = request.Method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.PathBase = PathString.Empty;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }
        if (request.Body is { } body)
        {
            context.Request.Body = new MemoryStream(body, writable: false);
            context.Request.ContentLength = body.Length;
        }
        if (request.ContentType is { } contentType)
        {
            context.Request.ContentType = contentType;
        }
        using var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        var instance = chosen.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, chosen.Method.DeclaringType!);
        var arguments = chosen.Method.GetParameters().Select(p => Bind(p, context, routeValues)).ToArray();
        var returned = chosen.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        var result = returned switch
        {
            IResult r => r,
            Task<IResult> pending => await pending,
            _ => throw new InvalidOperationException($"{chosen} returned {returned?.GetType().Name ?? "null"}, not an IResult."),
        };
        await result.ExecuteAsync(context);

        var headers = context.Response.Headers;
        return new ApiAnswer(
            context.Response.StatusCode,
            context.Response.ContentType,
            headers.ETag.Count == 0 ? null : headers.ETag.ToString(),
            headers.Location.Count == 0 ? null : headers.Location.ToString(),
            Encoding.UTF8.GetString(responseBody.ToArray()));
    }

    private object? Bind(ParameterInfo parameter, HttpContext context, RouteValueDictionary routeValues)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }
        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }
        if (parameter.ParameterType == typeof(DurableTaskClient))
        {
            return Durable;
        }
        if (parameter.ParameterType == typeof(string) && routeValues.TryGetValue(parameter.Name!, out var value))
        {
            return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"No binding for parameter {parameter.ParameterType.Name} {parameter.Name} of {parameter.Member.DeclaringType?.Name}.{parameter.Member.Name}.");
    }

    private static List<HttpFunction> Discover() =>
        [.. typeof(Webhooks.Functions.Http.WebhookFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .SelectMany(f => (f.Trigger!.Methods is { Length: > 0 } methods ? methods : ["*"])
                .Select(verb => new HttpFunction(f.Function!.Name, f.Method, verb.ToUpperInvariant(), f.Trigger.Route ?? f.Function.Name, f.Trigger.AuthLevel)))];
}
