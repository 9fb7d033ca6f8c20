namespace Webhooks.Delivery;

/// <summary>
/// A chat webhook's URL carries its token in the path. An endpoint may echo it back (a redirect's
/// Location, an error page quoting the request), so what an attempt records of the response is
/// cleaned of it before it reaches a table row or an API answer.
/// </summary>
public static class SecretUrlRedaction
{
    public const string Placeholder = "[redacted]";

    public static string? Redact(string? text, Uri secretUrl)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        foreach (var secret in new[] { secretUrl.AbsoluteUri, secretUrl.OriginalString, secretUrl.PathAndQuery, secretUrl.AbsolutePath })
        {
            // A bare "/" is no secret and would garble every path in the text.
            if (secret.Length > 1)
            {
                text = text.Replace(secret, Placeholder, StringComparison.OrdinalIgnoreCase);
            }
        }
        return text;
    }
}
