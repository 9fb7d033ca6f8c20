using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Api;

/// <summary>
/// The JSON rules of the API, shared by both hosts: camelCase, and strict reading (unknown
/// members, comments and trailing commas are errors, not silently dropped).
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNameCaseInsensitive = false,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            // Responses are JSON for programs, never embedded in HTML: keep '+' and '…' readable.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
