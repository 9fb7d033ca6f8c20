namespace Webhooks.Model;

/// <summary>
/// Bounding text that came from outside before it reaches a table row or a log line: a table string
/// property holds at most 32 K UTF-16 characters (a row 1 MiB), and a log line quoting a whole
/// oversized value is noise at best.
/// </summary>
public static class TextCut
{
    public const string Marker = "…[truncated]";

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="maxChars"/> UTF-16 characters; else
    /// its start, ending with <paramref name="marker"/> (<see cref="Marker"/> unless given), in at most
    /// that many, never splitting a surrogate pair.
    /// </summary>
    public static string Bounded(string text, int maxChars, string marker = Marker)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, marker.Length);
        if (text.Length <= maxChars)
        {
            return text;
        }
        var end = maxChars - marker.Length;
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }
        return string.Concat(text.AsSpan(0, end), marker);
    }
}
