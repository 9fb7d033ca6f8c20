namespace Webhooks.Model;

/// <summary>
/// What one attempt observed: the response status (null when none came: connection failure,
/// timeout, refused address), the <c>Retry-After</c> it asked for, and an error description.
/// <see cref="WebhookUnavailable"/> when nothing was sent because the webhook is disabled or gone;
/// <see cref="DestinationRefused"/> when nothing was sent because the SSRF guard refused where it points.
/// </summary>
public sealed record AttemptOutcome(int? StatusCode, TimeSpan? RetryAfter = null, string? Error = null, bool WebhookUnavailable = false, bool DestinationRefused = false)
{
    public static AttemptOutcome NoResponse(string error) => new(null, null, error);

    public static AttemptOutcome Unavailable(string why) => new(null, null, why, WebhookUnavailable: true);

    public static AttemptOutcome Refused(string why) => new(null, null, why, DestinationRefused: true);

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The attempt's result as metrics and traces name it: <c>success</c>, <c>failure</c> (an answer outside 2xx) or <c>no_response</c>.</summary>
    public string Result => IsSuccess ? "success" : StatusCode is null ? "no_response" : "failure";
}
