using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Webhooks.Tests.Deployment;

/// <summary>
/// The ARM JSON that <c>bicep build</c> makes of a file, and just enough of ARM's expression language to read the
/// values the checks need (a query put together with <c>format</c>, a window from a variable) the way Azure will.
/// </summary>
public static class ArmTemplates
{
    public static async Task<JsonDocument> BuildAsync(string file)
    {
        var build = await BicepCli.BuildInfraAsync();
        var template = build.Template(file);
        Assert.True(template is not null, $"bicep build wrote no template for {file}:{Environment.NewLine}{build.Run.Output}");
        return JsonDocument.Parse(template);
    }

    /// <summary>The resources of one template: an array, or an object keyed by symbolic name (language version 2.0).</summary>
    public static IEnumerable<JsonElement> Resources(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(r => r.Value) : resources.EnumerateArray();
    }

    /// <summary>
    /// The value of a template string once deployed: a literal as it is, an expression (<c>[...]</c>) evaluated with
    /// parameters at their defaults. Only <c>format</c>, <c>parameters</c>, <c>variables</c>, <c>string</c> and property
    /// access are known; anything else throws, so a check never passes on a value it could not read.
    /// </summary>
    public static string Evaluate(JsonElement template, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Text(new Evaluator(template).Value(value)),
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new NotSupportedException($"Cannot evaluate {value.ValueKind} {value.GetRawText()}."),
    };

    private static string Text(object value) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private sealed class Evaluator(JsonElement template)
    {
        public object Value(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                return element;
            }
            var text = element.GetString()!;
            // "[[" escapes a literal that starts with "[".
            if (!text.StartsWith('[') || text.StartsWith("[[", StringComparison.Ordinal) || !text.EndsWith(']'))
            {
                return text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text;
            }
            var parser = new Parser(this, text[1..^1]);
            var result = parser.Expression();
            parser.End();
            return result;
        }

        public object Call(string function, List<object> arguments) => function.ToLowerInvariant() switch
        {
            "parameters" => Value(Declared("parameters", Text(arguments[0])).GetProperty("defaultValue")),
            "variables" => Value(Declared("variables", Text(arguments[0]))),
            "string" => Text(arguments[0]),
            "format" => string.Format(CultureInfo.InvariantCulture, Text(arguments[0]), [.. arguments.Skip(1).Select(Text)]),
            _ => throw new NotSupportedException($"The test cannot evaluate ARM function {function}()."),
        };

        public object Member(object target, string name) => target is JsonElement { ValueKind: JsonValueKind.Object } e
            ? Value(e.GetProperty(name))
            : throw new NotSupportedException($"Cannot read .{name} of {target}.");

        private JsonElement Declared(string section, string name) =>
            template.GetProperty(section).TryGetProperty(name, out var declared)
                ? declared
                : throw new InvalidOperationException($"The template declares no {section} '{name}'.");
    }

    private sealed class Parser(Evaluator evaluator, string text)
    {
        private int position;

        public object Expression()
        {
            Skip();
            object value;
            if (Peek() == '\'')
            {
                value = StringLiteral();
            }
            else if (char.IsAsciiDigit(Peek()) || Peek() == '-')
            {
                var start = position++;
                while (position < text.Length && char.IsAsciiDigit(text[position]))
                {
                    position++;
                }
                value = long.Parse(text[start..position], CultureInfo.InvariantCulture);
            }
            else
            {
                var name = Identifier();
                Expect('(');
                var arguments = new List<object>();
                Skip();
                if (Peek() != ')')
                {
                    do
                    {
                        arguments.Add(Expression());
                        Skip();
                    }
                    while (TryTake(','));
                }
                Expect(')');
                value = evaluator.Call(name, arguments);
            }
            while (TryTake('.'))
            {
                value = evaluator.Member(value, Identifier());
            }
            return value;
        }

        public void End()
        {
            Skip();
            if (position != text.Length)
            {
                throw new FormatException($"Unexpected '{text[position..]}' in ARM expression [{text}].");
            }
        }

        private string StringLiteral()
        {
            Expect('\'');
            var value = new StringBuilder();
            while (true)
            {
                if (position >= text.Length)
                {
                    throw new FormatException($"Unterminated string in ARM expression [{text}].");
                }
                var c = text[position++];
                if (c == '\'')
                {
                    // '' is a quote inside a string.
                    if (position < text.Length && text[position] == '\'')
                    {
                        value.Append('\'');
                        position++;
                        continue;
                    }
                    return value.ToString();
                }
                value.Append(c);
            }
        }

        private string Identifier()
        {
            Skip();
            var start = position;
            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_'))
            {
                position++;
            }
            return position > start ? text[start..position] : throw new FormatException($"Expected a name at {position} in ARM expression [{text}].");
        }

        private char Peek() => position < text.Length ? text[position] : '\0';

        private void Skip()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        private bool TryTake(char c)
        {
            Skip();
            if (Peek() != c)
            {
                return false;
            }
            position++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryTake(c))
            {
                throw new FormatException($"Expected '{c}' at {position} in ARM expression [{text}].");
            }
        }
    }
}
