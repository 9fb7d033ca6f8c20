using System.Text.Json;
using System.Text.Json.Nodes;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>Sends a request to the standalone host, and compares its answer with the Functions app's.</summary>
public static class HostParity
{
    /// <summary>
    /// Per-request values that no two answers share even from one host: the problem's trace id.
    /// Their presence is still compared.
    /// </summary>
    private static readonly string[] PerRequest = ["traceId"];

    /// <summary>Sends <paramref name="request"/> through the standalone host's pipeline (routing, filters, middleware).</summary>
    public static async Task<ApiAnswer> SendAsync(this HttpClient client, ApiRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.PathAndQuery);
        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }
        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(message);
        return new ApiAnswer(
            (int)response.StatusCode,
            response.Content.Headers.TryGetValues("Content-Type", out var type) ? string.Join(", ", type) : null,
            response.Headers.TryGetValues("ETag", out var etag) ? string.Join(", ", etag) : null,
            response.Headers.TryGetValues("Location", out var location) ? string.Join(", ", location) : null,
            await response.Content.ReadAsStringAsync(),
            response.Headers.RetryAfter?.ToString(),
            response.Headers.WwwAuthenticate.Count == 0 ? null : response.Headers.WwwAuthenticate.ToString())
        {
            Headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary>The two hosts gave the same answer: status, content type, ETag, Location, and JSON-equal bodies.</summary>
    public static void AssertSameAnswer(ApiRequest request, ApiAnswer standalone, ApiAnswer functions)
    {
        var differences = new List<string>();
        Compare("status", standalone.Status, functions.Status, differences);
        Compare("content type", standalone.ContentType, functions.ContentType, differences);
        Compare("ETag", standalone.ETag, functions.ETag, differences);
        Compare("Location", standalone.Location, functions.Location, differences);
        Compare("Retry-After", standalone.RetryAfter, functions.RetryAfter, differences);
        Compare("WWW-Authenticate", standalone.Challenge, functions.Challenge, differences);
        CompareBodies(standalone, functions, [], differences);
        Assert.True(differences.Count == 0, Report(request, standalone, functions, differences));
    }

    /// <summary>
    /// The two answers have the same shape: status, content type, whether ETag and Location are
    /// set, and JSON-equal bodies once the values of <paramref name="varying"/> members (ids,
    /// secrets, times: whatever differs between two equivalent requests) are set aside. Their presence is still compared.
    /// </summary>
    public static void AssertSameShape(ApiRequest request, ApiAnswer standalone, ApiAnswer functions, params string[] varying)
    {
        var differences = new List<string>();
        Compare("status", standalone.Status, functions.Status, differences);
        Compare("content type", standalone.ContentType, functions.ContentType, differences);
        Compare("ETag present", standalone.ETag is not null, functions.ETag is not null, differences);
        Compare("Location present", standalone.Location is not null, functions.Location is not null, differences);
        Compare("Retry-After present", standalone.RetryAfter is not null, functions.RetryAfter is not null, differences);
        CompareBodies(standalone, functions, varying, differences);
        Assert.True(differences.Count == 0, Report(request, standalone, functions, differences));
    }

    /// <summary>Sends the same request to both hosts and asserts they answer the same; returns the standalone's answer.</summary>
    public static Task<ApiAnswer> AssertBothAnswerAlikeAsync(this ParityWorld world, ApiRequest request) =>
        AssertBothAnswerAlikeAsync(world.Standalone, world.Functions, request);

    /// <summary>Sends the same request to both hosts and asserts they answer the same; returns the standalone's answer.</summary>
    public static async Task<ApiAnswer> AssertBothAnswerAlikeAsync(HttpClient standalone, FunctionsHttpHost functions, ApiRequest request)
    {
        var expected = await standalone.SendAsync(request);
        var actual = await functions.SendAsync(request);
        AssertSameAnswer(request, expected, actual);
        return expected;
    }

    private static void CompareBodies(ApiAnswer standalone, ApiAnswer functions, string[] varying, List<string> differences)
    {
        if (!TryParse(standalone.Body, out var left) || !TryParse(functions.Body, out var right))
        {
            Compare("body (not JSON)", standalone.Body, functions.Body, differences);
            return;
        }
        var masked = varying.Concat(PerRequest).ToHashSet(StringComparer.Ordinal);
        if (!JsonNode.DeepEquals(Mask(left, masked), Mask(right, masked)))
        {
            differences.Add("JSON bodies differ" + (varying.Length == 0 ? "" : $" (ignoring the values of {string.Join(", ", varying)})"));
        }
    }

    private static bool TryParse(string body, out JsonNode? node)
    {
        node = null;
        if (body.Length == 0)
        {
            return true;
        }
        try
        {
            node = JsonNode.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A copy with the value of every member named in <paramref name="members"/>, at any depth, replaced by a marker.</summary>
    private static JsonNode? Mask(JsonNode? node, HashSet<string> members) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, members.Contains(p.Key) ? JsonValue.Create("<varies>") : Mask(p.Value, members)))),
        JsonArray a => new JsonArray([.. a.Select(e => Mask(e, members))]),
        null => null,
        _ => node.DeepClone(),
    };

    private static void Compare<T>(string what, T standalone, T functions, List<string> differences)
    {
        if (!EqualityComparer<T>.Default.Equals(standalone, functions))
        {
            differences.Add($"{what}: standalone {standalone?.ToString() ?? "(none)"}, functions {functions?.ToString() ?? "(none)"}");
        }
    }

    private static string Report(ApiRequest request, ApiAnswer standalone, ApiAnswer functions, List<string> differences) =>
        $"{request}: the hosts answer differently: {string.Join("; ", differences)}\n--- standalone: {standalone}\n--- functions: {functions}";
}
