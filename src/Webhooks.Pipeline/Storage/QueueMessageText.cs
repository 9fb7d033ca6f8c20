using System.Text;

namespace Webhooks.Storage;

/// <summary>
/// Queue message bodies. The pipeline writes base64, which is what the Functions queue trigger
/// expects by default; it reads base64 and plain JSON, so producers may send either.
/// </summary>
public static class QueueMessageText
{
    public static string Encode(ReadOnlySpan<byte> body) => Convert.ToBase64String(body);

    public static byte[] Decode(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            return Encoding.UTF8.GetBytes(text);
        }
        var buffer = new byte[(trimmed.Length * 3 / 4) + 3];
        // Not base64 either: hand the text on as it is, so the reader names what is wrong with it.
        return Convert.TryFromBase64Chars(trimmed, buffer, out var written) ? buffer[..written] : Encoding.UTF8.GetBytes(text);
    }
}
