using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Webhooks.Model;

namespace Webhooks.Api;

/// <summary>
/// Reads a JSON request body strictly: a JSON media type in UTF-8, a size cap, valid Unicode, no
/// duplicate members, and errors that name the member at fault instead of the serializer's internals.
/// </summary>
public sealed partial class JsonRequestReader(IOptions<ApiOptions> options)
{
    public async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadBytesAsync(request, options.Value.MaxRequestBodyBytes, cancellationToken);
        JsonTextRules.Check(body.Span);
        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, ApiJson.Options)
                ?? throw ValidationException.For("body", "a JSON object is required, not null.");
        }
        catch (JsonException e)
        {
            throw Describe(e);
        }
    }

    /// <summary>The raw body of a JSON request, after the content type check and the size check against <paramref name="limit"/> bytes; never empty.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (!IsUtf8Json(request.ContentType))
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the body as application/json (or an application/*+json type) in UTF-8; a charset other than utf-8 is refused.");
        }
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }
        var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
            {
                throw TooLarge(limit);
            }
            body.Write(buffer, 0, read);
        }
        if (body.Length == 0)
        {
            throw ValidationException.For("body", "a JSON object is required.");
        }
        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }

    private static ValidationException Describe(JsonException e)
    {
        if (UnmappedMember().Match(e.Message) is { Success: true } unmapped)
        {
            // The serializer's path already ends at the unknown member.
            var path = FieldOf(e.Path);
            return ValidationException.For(path.Length == 0 ? unmapped.Groups[1].Value : path, "is not a known field.");
        }
        var field = FieldOf(e.Path);
        if (e.InnerException is null && e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return ValidationException.For(field.Length == 0 ? "body" : field, "has the wrong JSON type (or is null where a value is required).");
        }
        var position = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        return ValidationException.For(field.Length == 0 ? "body" : field, $"is not valid JSON{position}.");
    }

    private static string FieldOf(string? path) =>
        path is null ? "" : path.TrimStart('$').TrimStart('.');

    /// <summary>application/json or application/*+json, parsed as a media type, with no charset or utf-8.</summary>
    private static bool IsUtf8Json(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
        && (media.SubType.Equals("json", StringComparison.OrdinalIgnoreCase) || (media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase) && media.SubTypeWithoutSuffix.Length > 0))
        && (!media.Charset.HasValue || HeaderUtilities.RemoveQuotes(media.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static ApiProblemException TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {limit} bytes.");

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();
}
