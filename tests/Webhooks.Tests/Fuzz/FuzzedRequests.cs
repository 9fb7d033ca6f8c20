using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Webhooks.Tests.FunctionsHttp;

namespace Webhooks.Tests.Fuzz;

/// <summary>
/// Hostile and careless requests to the management and events API, generated from the Functions
/// app's own route table so a new route is fuzzed without editing this file: malformed and truncated
/// JSON, wrong types, huge and deep documents, text that is not valid Unicode, duplicate members, odd
/// content types and charsets, path and query tricks, and plausible events and webhooks with one member made hostile.
/// </summary>
public static class FuzzedRequests
{
    /// <summary>Path and query values an attacker tries; entries with a '%' are sent already encoded.</summary>
    private static readonly string[] Tricks =
    [
        "", " ", ".", "..", "%2e%2e", "%2F", "a%2Fb", "%00", "%FF", "%ED%A0%80", "%C0%AF", "%E2%80%AE", "*", "-1", "0",
        "99999999999999999999999", "1e309", "NaN", "null", "true", "[]", "{}", "<script>alert(1)</script>", "' or '1'='1",
        "ｌｏｃａｌｈｏｓｔ", "\u202Eevil", "a\u0000b", "\t", "%20", new string('x', 5_000), "org-" + new string('a', 300),
        "PartitionKey eq 'x'", "2026-13-45T99:99:99Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "succeeded", "failed",
        "pending", "build_completed", "webhook.test", "evt_1",
    ];

    private static readonly string[] QueryNames = ["limit", "cursor", "pageToken", "status", "since", "until", "eventType", "revokePrevious", "type", "x", ""];

    private static readonly string?[] OddContentTypes =
    [
        null, "application/json; charset=latin1", "application/json; charset=\"utf-16\"", "application/problem+json", "application/cloudevents+json",
        "application/jsonx", "text/plain", "text/json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", ";;;",
        "application/json; charset=", "*/*",
    ];

    /// <summary>Mostly JSON, so most bodies reach the handlers; the rest tries the media type checks.</summary>
    private static readonly Gen<string?> ContentTypes = Gen.Frequency(
        (6, Gen.Elements<string?>("application/json", "application/json; charset=utf-8")),
        (2, Gen.Elements(OddContentTypes)));

    /// <summary>JSON values that are wrong somewhere: mistyped, not valid Unicode, with control or bidirectional characters, or oversized.</summary>
    private static readonly JsonNode?[] HostileValues =
    [
        null, 123, -1, 1.5e308, true, new JsonArray(), new JsonObject(), "", " ", "\u0000", "a\u202Eb", "\u200B", "x\ny",
        new string('v', 40_000), "ｌｏｃａｌｈｏｓｔ", "2026-13-45T99:99:99Z", "build_completed", "evt_1",
    ];

    /// <summary>A plausible event or webhook with one member replaced by a hostile value (or a lone surrogate, which JsonNode cannot hold).</summary>
    private static Gen<byte[]?> Mutated(string org)
    {
        string[] eventMembers = ["id", "type", "occurredAt", "organization", "organization.id", "organization.name", "project", "message", "data", "data.buildNumber", "traceparent", "extra"];
        string[] webhookMembers = ["name", "url", "type", "events", "events.0", "projects", "projects.include", "enabled", "description", "extra"];
        return
            from isEvent in Gen.Elements(true, false)
            from member in Gen.Elements(isEvent ? eventMembers : webhookMembers)
            from index in Gen.Frequency((1, Gen.Constant(-1)), (3, Gen.Choose(0, HostileValues.Length - 1)))
            select (byte[]?)Encoding.UTF8.GetBytes(WithMember(isEvent ? SampleEvent(org) : SampleWebhook(), member, index));
    }

    private static JsonObject SampleEvent(string org) => new()
    {
        ["id"] = "evt_" + Guid.NewGuid().ToString("N")[..12],
        ["type"] = "build_completed",
        ["occurredAt"] = "2026-12-02T06:00:00Z",
        ["organization"] = new JsonObject { ["id"] = org, ["name"] = "Acme" },
        ["project"] = "my-app",
        ["data"] = new JsonObject { ["projectName"] = "my-app", ["buildNumber"] = 117 },
    };

    private static JsonObject SampleWebhook() => new()
    {
        ["name"] = "builds",
        ["url"] = "https://example.com/hook",
        ["events"] = new JsonArray("build_completed"),
        ["projects"] = new JsonObject { ["include"] = new JsonArray("my-app") },
    };

    /// <summary>Sets the member at a dotted path to hostile value <paramref name="index"/>; -1 puts a lone surrogate escape there.</summary>
    private static string WithMember(JsonObject root, string path, int index)
    {
        const string Surrogate = "\"__lone_surrogate__\"";
        JsonNode parent = root;
        var names = path.Split('.');
        foreach (var name in names[..^1])
        {
            parent = (int.TryParse(name, out var i) ? parent.AsArray()[i] : parent[name])!;
        }
        var last = names[^1];
        var value = index < 0 ? JsonValue.Create("__lone_surrogate__") : HostileValues[index]?.DeepClone();
        if (int.TryParse(last, out var position))
        {
            parent.AsArray()[position] = value;
        }
        else
        {
            parent[last] = value;
        }
        return root.ToJsonString().Replace(Surrogate, "\"\\ud800\"", StringComparison.Ordinal);
    }

    /// <summary>Bodies: none, broken, mistyped, oversized, deep, invalid Unicode, duplicate members, or plausible ones mutated.</summary>
    internal static Gen<byte[]?> Bodies(string org) => Gen.Frequency(
        (1, Gen.Constant<byte[]?>(null)),
        (6, Mutated(org)),
        (4, Gen.OneOf(
        Gen.Elements(
            "", "{", "}", "[", "null", "0", "\"text\"", "[]", "{}", "{\"name\":}", "{\"name\":\"n\",}", "{'name':'n'}", "{\"name\":\"n\"",
            "{\"name\":\"n\",\"name\":\"m\",\"url\":\"https://example.com/h\"}", "{\"name\":123,\"url\":true}", "{\"name\":[],\"url\":{}}",
            "{\"name\":\"\\ud800\",\"url\":\"https://example.com/h\"}", "{\"name\":\"n\",\"url\":\"https://example.com/\\udfff\"}",
            "{\"name\":\"n\",\"url\":\"https://ｌｏｃａｌｈｏｓｔ/h\"}", "{\"name\":\"n\",\"url\":\"https://127.0.0.1./h\"}",
            "{\"name\":\"n\",\"url\":\"https://example.com/h\",\"events\":\"build_completed\"}", "{\"name\":\"n\",\"url\":\"https://example.com/h\",\"enabled\":\"yes\"}",
            "{\"since\":\"yesterday\"}", "{\"since\":12}", "{\"id\":\"evt_1\",\"type\":42}",
            $"{{\"id\":\"evt_1\",\"type\":\"build_completed\",\"organization\":{{\"id\":\"{org}\",\"name\":\"\\ud800\"}}}}",
            $"{{\"id\":\"evt_\\u202E1\",\"type\":\"build_completed\",\"organization\":{{\"id\":\"{org}\"}},\"project\":123,\"message\":42}}")
            .Select(text => (byte[]?)Encoding.UTF8.GetBytes(text)),
        Gen.Choose(1, 2_000).Select(depth => (byte[]?)Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth))),
        Gen.Choose(1, 2_000).Select(depth => (byte[]?)Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth))),
        Gen.Elements(1_000, 70_000, 300_000).Select(size => (byte[]?)Encoding.UTF8.GetBytes($"{{\"name\":\"{new string('n', size)}\",\"url\":\"https://example.com/h\",\"type\":\"{new string('t', size / 2)}\"}}")),
        Gen.Elements<byte[]>([0xFF, 0xFE], [0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D], [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], [0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D])
            .Select(bytes => (byte[]?)bytes),
        Gen.Choose(1, 64).SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)).Select(bytes => (byte[]?)bytes))));

    public static Gen<ApiRequest> For(string org, string webhookId)
    {
        var routes = FunctionsHttpHost.Functions.Select(f => (f.HttpMethod, f.Path)).Distinct().ToArray();
        var value = Gen.Frequency(
            (6, Gen.Elements(org, webhookId, "evt_" + Guid.NewGuid().ToString("N")[..8])),
            (6, Gen.Elements(Tricks)));
        var query = Gen.Choose(0, 3).SelectMany(count => Gen.ArrayOf(
            Gen.Elements(QueryNames).SelectMany(name => value.Select(v => $"{Uri.EscapeDataString(name)}={Encode(v)}")), count))
            .Select(pairs => pairs.Length == 0 ? "" : "?" + string.Join('&', pairs));
        var headers = Gen.Frequency(
            (6, Gen.Constant<IReadOnlyDictionary<string, string>?>(null)),
            (1, Gen.Elements("*", "\"0x1\"", "W/\"x\"", "garbage", "", new string('e', 3_000)).Select(etag => (IReadOnlyDictionary<string, string>?)new Dictionary<string, string> { ["If-Match"] = etag })));
        return
            from route in Gen.Frequency(routes.Select(r => (r.HttpMethod.ToUpperInvariant() is "POST" or "PATCH" ? 3 : 1, Gen.Constant(r))).ToArray())
            from path in Fill(route.Path, value)
            from q in query
            from body in Bodies(org)
            from contentType in ContentTypes
            from header in headers
            select new ApiRequest(route.HttpMethod.ToUpperInvariant(), path + q, body, body is null ? null : contentType, header);
    }

    /// <summary>Replaces each <c>{parameter}</c> of a route with a generated value.</summary>
    private static Gen<string> Fill(string template, Gen<string> value)
    {
        var parts = template.Split('/');
        var gens = parts.Select(part => part.StartsWith('{') ? value.Select(Encode) : Gen.Constant(part));
        return gens.Aggregate(Gen.Constant(""), (path, part) => path.SelectMany(p => part.Select(s => p.Length == 0 && s.Length == 0 ? "" : p + "/" + s)))
            .Select(p => p.StartsWith("//", StringComparison.Ordinal) ? p[1..] : p);
    }

    private static string Encode(string value) => value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value);
}
