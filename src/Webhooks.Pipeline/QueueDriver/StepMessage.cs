using System.Text.Json;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>
/// A message on the delivery queue: "run attempt <see cref="Attempt"/> of run <see cref="Run"/> of
/// this delivery". It carries no secret and no payload; the delivery's row has everything.
/// <see cref="Claim"/> lets it take over a claim its sender handed on; <see cref="Deferrals"/> counts
/// the times it was put off, which do not count as failures; <see cref="NotBefore"/> is the turn the
/// endpoint's protection gave it, which the queue's whole-second visibility cannot express.
/// </summary>
public sealed record StepMessage(string OrganizationId, string WebhookId, string DeliveryId, int Run, int Attempt, string? Claim = null, int Deferrals = 0, DateTimeOffset? NotBefore = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DeliveryKey Key => new(OrganizationId, WebhookId, DeliveryId);

    public static StepMessage For(DeliveryRecord delivery, int attempt, string? claim = null) =>
        new(delivery.OrganizationId, delivery.WebhookId, delivery.DeliveryId, delivery.Run, attempt, claim);

    /// <summary>The step put off until <paramref name="turn"/>: visible up to a second before it (whole seconds, rounded down), to wait the rest in place.</summary>
    public (StepMessage Step, TimeSpan HideFor) HeldUntil(DateTimeOffset turn, DateTimeOffset now) =>
        (this with { Deferrals = Deferrals + 1, NotBefore = turn }, TimeSpan.FromSeconds(Math.Floor(Math.Max(0, (turn - now).TotalSeconds))));

    public string Encode() => QueueMessageText.Encode(JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <summary>The step in a message's text, or null when the text is not one.</summary>
    public static StepMessage? TryDecode(string text)
    {
        try
        {
            var step = JsonSerializer.Deserialize<StepMessage>(QueueMessageText.Decode(text), Json);
            return step is { OrganizationId.Length: > 0, WebhookId.Length: > 0, DeliveryId.Length: > 0, Run: > 0, Attempt: > 0 } ? step : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
