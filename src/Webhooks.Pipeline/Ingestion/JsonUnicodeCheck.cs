using System.Text;
using System.Text.Json;

namespace Webhooks.Ingestion;

/// <summary>
/// Finds text in a JSON document that is not valid Unicode: raw bytes that are not UTF-8, or an
/// escape such as <c>\ud800</c> that names half a surrogate pair. <see cref="JsonDocument"/> parses
/// both without complaint and only reading the string throws, far from where the input was checked;
/// this walk finds them first, with the field they sit in, so they are refused as bad input.
/// </summary>
internal static class JsonUnicodeCheck
{
    private const int MaxPathChars = 200;

    /// <summary>
    /// The path (<c>organization.name</c>, <c>data.items[2]</c>; <c>body</c> for the top level) of
    /// the first string or property name that is not valid Unicode, or null when there is none.
    /// Throws <see cref="JsonException"/> when the document is not JSON at all.
    /// </summary>
    public static string? FirstInvalid(ReadOnlySpan<byte> json, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(json, options);
        var path = new List<Step>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = Text(ref reader);
                        if (name is null)
                        {
                            // The name itself is at fault: name the object that holds it.
                            path[^1] = path[^1] with { Name = null };
                            return Describe(path);
                        }
                        path[^1] = path[^1] with { Name = name };
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        path.Add(new Step(reader.TokenType == JsonTokenType.StartArray, null, -1));
                        Advance(path, depthOfValue: path.Count - 1);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    default:
                        Advance(path, depthOfValue: path.Count);
                        if (reader.TokenType == JsonTokenType.String && Text(ref reader) is null)
                        {
                            return Describe(path);
                        }
                        break;
                }
            }
        }
        catch (JsonException) when (!System.Text.Unicode.Utf8.IsValid(json))
        {
            // The reader stopped on bytes that are not UTF-8: name where it stopped.
            return Describe(path);
        }
        return null;
    }

    private readonly record struct Step(bool IsArray, string? Name, int Index);

    /// <summary>A value starts inside the container at <paramref name="depthOfValue"/> - 1: an array moves to its next index.</summary>
    private static void Advance(List<Step> path, int depthOfValue)
    {
        if (depthOfValue > 0 && path[depthOfValue - 1] is { IsArray: true } array)
        {
            path[depthOfValue - 1] = array with { Index = array.Index + 1 };
        }
    }

    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Describe(List<Step> path)
    {
        var text = new StringBuilder();
        foreach (var step in path)
        {
            if (step.IsArray)
            {
                text.Append('[').Append(step.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
            }
            else if (step.Name is not null)
            {
                text.Append(text.Length == 0 ? "" : ".").Append(step.Name);
            }
        }
        // Property names are input too: a path quoted back stays short.
        return text.Length == 0 ? "body" : Model.TextCut.Bounded(text.ToString(), MaxPathChars);
    }
}
