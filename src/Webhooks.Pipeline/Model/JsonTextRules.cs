using System.Text;
using System.Text.Json;

namespace Webhooks.Model;

/// <summary>
/// Rules for JSON input that the serializer either does not apply or reports without naming the
/// field: every member name and string is valid Unicode (well-formed UTF-8, no lone surrogate
/// escapes such as <c>\ud800</c>), and no object names a member twice. A breach throws
/// <see cref="ValidationException"/> naming the field (<c>projects.include[1]</c>; <c>body</c> at the
/// top). Syntax errors are left to the parser that reads the document next, which names them.
/// </summary>
public static class JsonTextRules
{
    private const string NotUnicode = "is not valid Unicode text (invalid UTF-8, or an unpaired surrogate such as \\ud800).";

    public static void Check(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var open = new List<Container>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        open.RemoveAt(open.Count - 1);
                        continue;
                    case JsonTokenType.PropertyName:
                        var owner = open[^1];
                        var name = TextOf(ref reader) ?? throw ValidationException.For(PathOf(open[..^1]), "has a member name that " + NotUnicode);
                        owner.Member = name;
                        if (!owner.Members.Add(name))
                        {
                            throw ValidationException.For(PathOf(open), "appears more than once in the same object.");
                        }
                        continue;
                }
                if (open.Count > 0 && open[^1].IsArray)
                {
                    open[^1].Index++;
                }
                if (reader.TokenType == JsonTokenType.String && TextOf(ref reader) is null)
                {
                    throw ValidationException.For(PathOf(open), NotUnicode);
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    open.Add(new Container(reader.TokenType == JsonTokenType.StartArray));
                }
            }
        }
        catch (JsonException)
        {
            // Not well-formed JSON: the parser that follows says where.
        }
    }

    private static string? TextOf(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 bytes, or an escape that leaves a surrogate unpaired.
            return null;
        }
    }

    private static string PathOf(List<Container> open)
    {
        var path = new StringBuilder();
        foreach (var container in open)
        {
            if (container.IsArray)
            {
                path.Append('[').Append(container.Index).Append(']');
            }
            else
            {
                path.Append(path.Length == 0 ? "" : ".").Append(container.Member);
            }
        }
        // Member names are input too: ValidationException cuts the path it quotes back.
        return path.Length == 0 ? "body" : path.ToString();
    }

    private sealed class Container(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        /// <summary>In an array: the index of the current element.</summary>
        public int Index { get; set; } = -1;

        /// <summary>In an object: the current member, and every member seen so far.</summary>
        public string? Member { get; set; }

        public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
    }
}
