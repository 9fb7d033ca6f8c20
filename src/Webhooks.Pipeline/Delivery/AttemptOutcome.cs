namespace Webhooks.Delivery;

/// <summary>
/// What one attempt observed: the response status (null when none came: connection failure,
/// timeout, refused address), the <c>Retry-After</c> it asked for, and an error description.
/// </summary>
public sealed record AttemptOutcome(int? StatusCode, TimeSpan? RetryAfter = null, string? Error = null)
{
    public static AttemptOutcome NoResponse(string error) => new(null, null, error);

    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
