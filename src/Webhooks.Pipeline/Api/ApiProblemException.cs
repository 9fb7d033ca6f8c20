namespace Webhooks.Api;

/// <summary>A request the API refuses with a status other than 400 (413, 415, 429, …), answered as a problem.</summary>
public sealed class ApiProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;

    /// <summary>When the same request may succeed again (sent as <c>Retry-After</c>), if it may.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
