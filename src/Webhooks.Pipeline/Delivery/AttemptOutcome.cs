namespace Webhooks.Delivery;

/// <summary>
/// What one attempt observed: the response status (null when none came: connection failure,
/// timeout, refused address), the <c>Retry-After</c> it asked for, and an error description.
/// <see cref="WebhookUnavailable"/> when nothing was sent because the webhook is disabled or gone.
/// </summary>
public sealed record AttemptOutcome(int? StatusCode, TimeSpan? RetryAfter = null, string? Error = null, bool WebhookUnavailable = false)
{
    public static AttemptOutcome NoResponse(string error) => new(null, null, error);

    public static AttemptOutcome Unavailable(string why) => new(null, null, why, WebhookUnavailable: true);

    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
