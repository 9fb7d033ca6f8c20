namespace Webhooks.Storage;

/// <summary>
/// One HTTP attempt of a delivery, as the history shows it: what was sent (headers without
/// secrets, the body), what came back (truncated), and how long it took.
/// </summary>
public sealed record AttemptRecord
{
    /// <summary>1-based over every run of the delivery.</summary>
    public required int Number { get; init; }
    public required int Run { get; init; }

    /// <summary>The attempt's place in its run's retry schedule.</summary>
    public required int RunAttempt { get; init; }

    public required DateTimeOffset AttemptedAt { get; init; }
    public required TimeSpan Duration { get; init; }

    /// <summary>The URL as the API shows it: masked for chat webhooks, whose URL is a credential.</summary>
    public required string Url { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; init; }
    public required string RequestBody { get; init; }
    public int? ResponseStatus { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; init; } = [];
    public string? ResponseBody { get; init; }
    public string? Error { get; init; }
}
