namespace Webhooks.Api;

/// <summary>Settings section <c>Webhooks:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Webhooks:Api";

    /// <summary>The header that carries the API key (<c>Authorization: Bearer KEY</c> is accepted too).</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>
    /// Accepted API keys. More than one lets keys be rotated without downtime. None configured:
    /// every request is refused.
    /// </summary>
    public List<string> Keys { get; init; } = [];

    /// <summary>The largest management request body accepted, in bytes; larger ones get 413. Events have the queue's limit instead.</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The page size used when a listing does not ask for one.</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>The largest page size a listing may ask for.</summary>
    public int MaxPageSize { get; set; } = 200;
}
