using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Webhooks.Management.Http;

/// <summary>
/// Reads a JSON request body strictly: JSON content type, a size cap, and errors that name the
/// member at fault instead of the serializer's internals.
/// </summary>
public sealed partial class JsonRequestReader(IOptions<ApiOptions> options)
{
    public async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadBytesAsync(request, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, ApiJson.Options)
                ?? throw Management.ValidationException.For("body", "a JSON object is required, not null.");
        }
        catch (JsonException e)
        {
            throw Describe(e);
        }
    }

    /// <summary>The raw body of a JSON request, after the content type and size checks; never empty.</summary>
    public async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json.");
        }
        var limit = options.Value.MaxRequestBodyBytes;
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
            throw Management.ValidationException.For("body", "a JSON object is required.");
        }
        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }

    private static Management.ValidationException Describe(JsonException e)
    {
        if (UnmappedMember().Match(e.Message) is { Success: true } unmapped)
        {
            // The serializer's path already ends at the unknown member.
            var path = FieldOf(e.Path);
            return Management.ValidationException.For(path.Length == 0 ? unmapped.Groups[1].Value : path, "is not a known field.");
        }
        var field = FieldOf(e.Path);
        if (e.InnerException is null && e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return Management.ValidationException.For(field.Length == 0 ? "body" : field, "has the wrong JSON type (or is null where a value is required).");
        }
        var position = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        return Management.ValidationException.For(field.Length == 0 ? "body" : field, $"is not valid JSON{position}.");
    }

    private static string FieldOf(string? path) =>
        path is null ? "" : path.TrimStart('$').TrimStart('.');

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && contentType.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    private static ApiProblemException TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {limit} bytes.");

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();
}
