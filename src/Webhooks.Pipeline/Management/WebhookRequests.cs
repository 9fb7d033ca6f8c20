namespace Webhooks.Management;

/// <summary>The body of <c>POST /api/orgs/{orgId}/webhooks</c>.</summary>
/// <param name="Name">A label for people, 1 to 100 characters.</param>
/// <param name="Url">Where deliveries go; chat webhooks take the URL their service issued.</param>
/// <param name="Type"><c>generic</c> (default), <c>slack</c>, <c>teams</c> or <c>discord</c>.</param>
/// <param name="Events">Event types to receive, or <c>["all"]</c> (default).</param>
/// <param name="Projects">Optional project filter: an include list or an exclude list.</param>
/// <param name="Enabled">Whether deliveries are made (default true).</param>
/// <param name="RateLimit">The most deliveries per second the endpoint receives (1 to the service's maximum); left out, the service default applies.</param>
/// <param name="TraceContext">Deliveries carry a W3C <c>traceparent</c> header naming the attempt's span (default false).</param>
public sealed record CreateWebhookRequest(
    string? Name,
    string? Url,
    string? Type,
    IReadOnlyList<string?>? Events,
    ProjectFilterRequest? Projects,
    bool? Enabled,
    int? RateLimit = null,
    bool? TraceContext = null);

/// <summary>The body of <c>PATCH /api/orgs/{orgId}/webhooks/{id}</c>: fields left out stay as they are.</summary>
/// <param name="Name">A new label.</param>
/// <param name="Url">A new URL, checked against the webhook's type.</param>
/// <param name="Type">Must equal the current type if given: a type never changes.</param>
/// <param name="Events">Replaces the subscribed event types.</param>
/// <param name="Projects">Replaces the project filter; <c>{}</c> removes it.</param>
/// <param name="Enabled">Turns deliveries on or off; turning on clears an automatic disable.</param>
/// <param name="RateLimit">A new limit in deliveries per second; <c>0</c> removes the webhook's own limit (the service default applies).</param>
/// <param name="TraceContext">Turns the <c>traceparent</c> header of deliveries on or off.</param>
public sealed record UpdateWebhookRequest(
    string? Name,
    string? Url,
    string? Type,
    IReadOnlyList<string?>? Events,
    ProjectFilterRequest? Projects,
    bool? Enabled,
    int? RateLimit = null,
    bool? TraceContext = null);

/// <summary>A project filter: give one list, not both.</summary>
/// <param name="Include">Only events of these projects are delivered.</param>
/// <param name="Exclude">Events of these projects are not delivered.</param>
public sealed record ProjectFilterRequest(IReadOnlyList<string?>? Include, IReadOnlyList<string?>? Exclude);
