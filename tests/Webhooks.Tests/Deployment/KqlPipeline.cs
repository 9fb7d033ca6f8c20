using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhooks.Tests.Deployment;

/// <summary>One operator of a KQL pipeline (<c>summarize</c>, <c>extend</c>, ...) and what follows it up to the next pipe.</summary>
public sealed record KqlStage(string Operator, string Body);

/// <summary>
/// A log alert query read as its pipeline, enough to know which columns reach the alert service: the columns a
/// <c>summarize</c> leaves (its aggregations and its by-clause), the ones <c>extend</c> adds, the ones <c>project</c> keeps.
/// Not a KQL parser: it knows the operators the infra's queries use and refuses others that change the columns.
/// </summary>
public sealed partial class KqlPipeline
{
    public KqlPipeline(string query)
    {
        var parts = SplitTopLevel(query, '|');
        Table = parts[0].Trim();
        Stages = [.. parts.Skip(1).Select(p => p.Trim()).Select(p => OperatorPattern().Match(p) is { Success: true } m
            ? new KqlStage(m.Groups[1].Value, m.Groups[2].Value.Trim())
            : throw new FormatException($"Cannot read the KQL stage '{p}'."))];
    }

    public string Table { get; }

    public IReadOnlyList<KqlStage> Stages { get; }

    public int LastSummarize => Stages.Select((s, i) => (s, i)).LastOrDefault(x => x.s.Operator == "summarize", (null!, -1)).Item2;

    /// <summary>The time bins the last <c>summarize</c> groups by: the column and the bin size of each <c>bin(column, size)</c>.</summary>
    public IReadOnlyList<(string Column, TimeSpan Size)> SummarizeBins()
    {
        var summarize = LastSummarize;
        if (summarize < 0)
        {
            return [];
        }
        var (_, by) = SplitSummarize(Stages[summarize].Body);
        return [.. by.Select(item => BinPattern().Match(Expression(item))).Where(m => m.Success).Select(m => (m.Groups[1].Value, Timespan(m.Groups[2].Value)))];
    }

    /// <summary>
    /// The columns the query's result has that the query names itself (a table's own columns are known only once a
    /// <c>summarize</c> or <c>project</c> has named every column), with the stage that defined each last.
    /// </summary>
    public IReadOnlyDictionary<string, int> NamedColumns()
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Stages.Count; i++)
        {
            var (op, body) = (Stages[i].Operator, Stages[i].Body);
            switch (op)
            {
                case "where":
                    break;
                case "extend":
                    foreach (var item in SplitTopLevel(body, ','))
                    {
                        columns[Name(item) ?? throw new FormatException($"extend without a column name: '{item}'.")] = i;
                    }
                    break;
                case "project":
                    var kept = new Dictionary<string, int>(columns, StringComparer.Ordinal);
                    columns.Clear();
                    foreach (var item in SplitTopLevel(body, ','))
                    {
                        // A column kept as it is stays defined where it was computed.
                        columns[Name(item) ?? item.Trim()] = Name(item) is null && kept.TryGetValue(item.Trim(), out var at) ? at : i;
                    }
                    break;
                case "summarize":
                    columns.Clear();
                    var (aggregations, by) = SplitSummarize(body);
                    foreach (var item in aggregations)
                    {
                        columns[Name(item) ?? throw new FormatException($"Name each aggregation of an alert query ('{item}'): the rule refers to columns by name.")] = i;
                    }
                    foreach (var item in by)
                    {
                        var name = Name(item) ?? (BinPattern().Match(item) is { Success: true } bin ? bin.Groups[1].Value : item.Trim());
                        columns[name] = i;
                    }
                    break;
                default:
                    throw new NotSupportedException($"The check does not know how '{op}' changes the columns; teach KqlPipeline before using it in an alert query.");
            }
        }
        return columns;
    }

    /// <summary>The columns a <c>summarize</c> stage computes (its named aggregations, not its by-clause).</summary>
    public IReadOnlyList<string> Aggregations(int stage) =>
        [.. SplitSummarize(Stages[stage].Body).Aggregations.Select(item => Name(item) ?? throw new FormatException($"Unnamed aggregation '{item}'."))];

    /// <summary>The expression that defines <paramref name="column"/> (<c>Name = expression</c>) in the given stage.</summary>
    public string Definition(int stage, string column)
    {
        var items = Stages[stage].Operator == "summarize" ? SplitSummarize(Stages[stage].Body).Aggregations : SplitTopLevel(Stages[stage].Body, ',');
        return Expression(items.Single(item => Name(item) == column));
    }

    public static TimeSpan Timespan(string literal)
    {
        var m = TimespanPattern().Match(literal.Trim());
        Assert.True(m.Success, $"'{literal}' is not a KQL timespan literal such as 15m.");
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "d" => TimeSpan.FromDays(n),
            "h" => TimeSpan.FromHours(n),
            "m" => TimeSpan.FromMinutes(n),
            "s" => TimeSpan.FromSeconds(n),
            "ms" => TimeSpan.FromMilliseconds(n),
            _ => throw new FormatException(literal),
        };
    }

    private static (IReadOnlyList<string> Aggregations, IReadOnlyList<string> By) SplitSummarize(string body)
    {
        var at = IndexOfTopLevelWord(body, "by");
        return at < 0
            ? (SplitTopLevel(body, ','), [])
            : (SplitTopLevel(body[..at], ','), SplitTopLevel(body[(at + 2)..], ','));
    }

    private static string? Name(string item) => AssignmentPattern().Match(item) is { Success: true } m ? m.Groups[1].Value : null;

    private static string Expression(string item) => AssignmentPattern().Match(item) is { Success: true } m ? m.Groups[2].Value.Trim() : item.Trim();

    /// <summary>Splits at <paramref name="separator"/> outside quotes, parentheses and brackets.</summary>
    private static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        char? quote = null;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }
                continue;
            }
            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    break;
                default:
                    if (c == separator && depth == 0)
                    {
                        parts.Add(text[start..i]);
                        start = i + 1;
                    }
                    break;
            }
        }
        parts.Add(text[start..]);
        return [.. parts.Where(p => !string.IsNullOrWhiteSpace(p))];
    }

    private static int IndexOfTopLevelWord(string text, string word)
    {
        var depth = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                quote = c == q ? null : quote;
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth--;
            }
            else if (depth == 0 && string.CompareOrdinal(text, i, word, 0, word.Length) == 0
                && (i == 0 || !char.IsLetterOrDigit(text[i - 1])) && (i + word.Length == text.Length || !char.IsLetterOrDigit(text[i + word.Length])))
            {
                return i;
            }
        }
        return -1;
    }

    [GeneratedRegex(@"^([a-z-]+)\b(.*)$", RegexOptions.Singleline)]
    private static partial Regex OperatorPattern();

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)(.*)$", RegexOptions.Singleline)]
    private static partial Regex AssignmentPattern();

    [GeneratedRegex(@"^\s*bin\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,\s*([^)]+?)\s*\)\s*$")]
    private static partial Regex BinPattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(d|h|ms|m|s)$")]
    private static partial Regex TimespanPattern();
}
