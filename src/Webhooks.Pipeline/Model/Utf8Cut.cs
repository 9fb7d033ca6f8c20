namespace Webhooks.Model;

/// <summary>Cutting UTF-8 text to a byte budget without splitting a character (a split one decodes as U+FFFD, which was never sent).</summary>
public static class Utf8Cut
{
    /// <summary>
    /// How many leading bytes of <paramref name="bytes"/> to keep: all of them when they fit in
    /// <paramref name="limit"/>, else at most the limit, moved back to the start of a character
    /// when the byte after the cut continues one.
    /// </summary>
    public static int Length(ReadOnlySpan<byte> bytes, int limit)
    {
        if (bytes.Length <= limit)
        {
            return bytes.Length;
        }
        var end = limit;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--;
        }
        return end;
    }
}
