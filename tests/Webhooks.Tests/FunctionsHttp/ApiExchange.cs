using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>One HTTP request, as either host takes it: method, path with query, headers, and a body with its content type (none when null).</summary>
public sealed record ApiRequest(string Method, string PathAndQuery, byte[]? Body = null, string? ContentType = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static ApiRequest Get(string pathAndQuery) => new("GET", pathAndQuery);

    public static ApiRequest Post(string pathAndQuery) => new("POST", pathAndQuery);

    public static ApiRequest Delete(string pathAndQuery) => new("DELETE", pathAndQuery);

    /// <summary>A request whose body is <paramref name="body"/> as JSON (a string is sent as it is).</summary>
    public static ApiRequest Json(string method, string pathAndQuery, object body, string contentType = "application/json") =>
        new(method, pathAndQuery, Encoding.UTF8.GetBytes(body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web)), contentType);

    public ApiRequest WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase) { [name] = value } };

    public override string ToString() => $"{Method} {PathAndQuery}";
}

/// <summary>What a host answered: status, the headers the API sets, and the body as text.</summary>
public sealed record ApiAnswer(int Status, string? ContentType, string? ETag, string? Location, string Body, string? RetryAfter = null, string? Challenge = null)
{
    /// <summary>Every response header, for the few tests that look past the API's own (the dashboard's security and caching headers).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The body as JSON; null when the body is empty.</summary>
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    public string? Text(string member) => Json?[member]?.GetValue<string>();

    public override string ToString() => $"{Status} {ContentType} ETag={ETag} Location={Location} Retry-After={RetryAfter} WWW-Authenticate={Challenge}\n{Body}";
}
