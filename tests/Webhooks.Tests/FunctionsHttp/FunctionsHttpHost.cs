using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Webhooks.FunctionsHostStandIn;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>
/// Runs the Functions app's HTTP functions in process, bound and executed as the Functions host
/// stand-in serves them (<see cref="HttpFunctions"/>), without a server in between. The request's
/// services are the standalone app's container, so both hosts use the same library services,
/// storage and JSON settings; no function key is needed (the Functions host checks it, not the function).
/// </summary>
public sealed class FunctionsHttpHost(IServiceProvider services)
{
    /// <summary>Every HTTP-triggered function of the Functions assembly, one entry per HTTP method it answers.</summary>
    public static IReadOnlyList<HttpFunction> Functions { get; } = Discover();

    /// <summary>The Durable client handed to functions that take one; it remembers what they scheduled.</summary>
    public RecordingDurableClient Durable { get; } = new();

    /// <summary>Whether exactly one HTTP function takes <paramref name="request"/>; the Functions host answers any other with 404 before the app sees it.</summary>
    public static bool Serves(ApiRequest request) => Match(request).Matches.Count == 1;

    public async Task<ApiAnswer> SendAsync(ApiRequest request)
    {
        var (path, query, matches) = Match(request);
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

        await HttpFunctions.InvokeAsync(chosen, context, routeValues, Durable);

        var headers = context.Response.Headers;
        return new ApiAnswer(
            context.Response.StatusCode,
            context.Response.ContentType,
            headers.ETag.Count == 0 ? null : headers.ETag.ToString(),
            headers.Location.Count == 0 ? null : headers.Location.ToString(),
            Encoding.UTF8.GetString(responseBody.ToArray()),
            headers.RetryAfter.Count == 0 ? null : headers.RetryAfter.ToString(),
            headers.WWWAuthenticate.Count == 0 ? null : headers.WWWAuthenticate.ToString())
        {
            Headers = headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        };
    }

    private static (PathString Path, string Query, List<(HttpFunction Function, RouteValueDictionary Values)> Matches) Match(ApiRequest request)
    {
        var (pathText, query) = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal) is var q and >= 0
            ? (request.PathAndQuery[..q], request.PathAndQuery[q..])
            : (request.PathAndQuery, "");
        var matches = new List<(HttpFunction Function, RouteValueDictionary Values)>();
        PathString path;
        try
        {
            path = PathString.FromUriComponent(pathText);
        }
        catch (InvalidOperationException)
        {
            // A path that does not decode (an encoded NUL): the Functions host's server refuses it before any function runs.
            return (PathString.Empty, query, matches);
        }
        foreach (var function in Functions.Where(f => string.Equals(f.HttpMethod, request.Method, StringComparison.OrdinalIgnoreCase)))
        {
            var values = new RouteValueDictionary();
            if (function.Matcher.TryMatch(path, values))
            {
                matches.Add((function, values));
            }
        }
        return (path, query, matches);
    }

    private static List<HttpFunction> Discover() => [.. HttpFunctions.Of(FunctionCatalog.Of(typeof(Webhooks.Functions.Http.WebhookFunctions).Assembly))];
}
