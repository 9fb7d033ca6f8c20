using Microsoft.Extensions.Options;
using Webhooks.Model;
using Webhooks.Protection;

namespace Webhooks.Management;

/// <summary>
/// Turns create and update requests into checked values, collecting every error with the field at
/// fault so a client can fix all of them at once.
/// </summary>
public sealed class WebhookRequestValidator(EventTypeCatalog catalog, EndpointUrlRules urls, IOptions<ProtectionPolicy> protection)
{
    public const int MaxNameLength = 100;
    public const int MaxListLength = 100;
    public const int MaxProjectNameLength = 200;

    public WebhookDraft ValidateCreate(CreateWebhookRequest request)
    {
        var errors = new ErrorList();
        var name = CheckName(request.Name, errors, required: true);
        var type = WebhookType.Generic;
        if (request.Type is not null && !WireNames.TryParse(request.Type, out type))
        {
            errors.Add("type", $"must be one of: {string.Join(", ", WireNames.AllTypes)}.");
        }
        Uri? url = null;
        TeamsFlavor? flavor = null;
        if (string.IsNullOrWhiteSpace(request.Url))
        {
            errors.Add("url", "is required.");
        }
        else if (urls.Check(type, request.Url.Trim(), out url, out flavor) is { } problem)
        {
            errors.Add("url", problem);
        }
        var events = request.Events is null ? EventSubscription.Everything : CheckEvents(request.Events, errors);
        var projects = request.Projects is null ? ProjectFilter.AllProjects : CheckProjects(request.Projects, errors);
        CheckRateLimit(request.RateLimit, errors, removable: false);
        errors.ThrowIfAny();
        return new WebhookDraft(name!, type, url!, flavor, events!, projects!, request.Enabled ?? true, request.RateLimit, request.TraceContext ?? false);
    }

    public WebhookChanges ValidateUpdate(UpdateWebhookRequest request, Webhook current)
    {
        var errors = new ErrorList();
        var name = request.Name is null ? null : CheckName(request.Name, errors, required: true);
        if (request.Type is not null && (!WireNames.TryParse(request.Type, out var type) || type != current.Type))
        {
            errors.Add("type", $"cannot change (it is {WireNames.Of(current.Type)}): delete the webhook and create a new one of the type you want.");
        }
        Uri? url = null;
        TeamsFlavor? flavor = current.TeamsFlavor;
        if (request.Url is not null && urls.Check(current.Type, request.Url.Trim(), out url, out flavor) is { } problem)
        {
            errors.Add("url", problem);
        }
        var events = request.Events is null ? null : CheckEvents(request.Events, errors);
        var projects = request.Projects is null ? null : CheckProjects(request.Projects, errors);
        CheckRateLimit(request.RateLimit, errors, removable: true);
        errors.ThrowIfAny();
        return new WebhookChanges(name, url, url is null ? current.TeamsFlavor : flavor, events, projects, request.Enabled, request.RateLimit, request.TraceContext);
    }

    private void CheckRateLimit(int? value, ErrorList errors, bool removable)
    {
        var most = protection.Value.MaxRateLimit;
        if (value is { } limit && (limit < 0 || limit > most || (limit == 0 && !removable)))
        {
            errors.Add("rateLimit", removable
                ? $"must be a whole number of deliveries per second from 1 to {most}, or 0 to remove the webhook's own limit."
                : $"must be a whole number of deliveries per second from 1 to {most}.");
        }
    }

    private static string? CheckName(string? value, ErrorList errors, bool required)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (required)
            {
                errors.Add("name", "is required and must not be blank.");
            }
            return null;
        }
        if (name.Length > MaxNameLength)
        {
            errors.Add("name", $"must be at most {MaxNameLength} characters.");
        }
        if (name.Any(char.IsControl))
        {
            errors.Add("name", "must not contain control characters.");
        }
        return name;
    }

    private EventSubscription? CheckEvents(IReadOnlyList<string?> values, ErrorList errors)
    {
        if (values.Count == 0)
        {
            errors.Add("events", "must not be empty: list event types, or [\"all\"] for every type.");
            return null;
        }
        if (values.Count > MaxListLength)
        {
            errors.Add("events", $"must have at most {MaxListLength} entries.");
            return null;
        }
        var types = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i]?.Trim();
            if (value == EventSubscription.AllToken)
            {
                if (values.Count > 1)
                {
                    errors.Add($"events[{i}]", "\"all\" must be the only entry.");
                }
                continue;
            }
            if (value is null || !catalog.Contains(value))
            {
                errors.Add($"events[{i}]", $"is not a known event type (see GET /api/event-types): {values[i] ?? "null"}.");
                continue;
            }
            types.Add(value);
        }
        return types.Count == 0 ? EventSubscription.Everything : EventSubscription.Of(types);
    }

    private static ProjectFilter? CheckProjects(ProjectFilterRequest request, ErrorList errors)
    {
        var include = request.Include is { Count: > 0 };
        var exclude = request.Exclude is { Count: > 0 };
        if (include && exclude)
        {
            errors.Add("projects", "give either an include list or an exclude list, not both.");
            return null;
        }
        if (!include && !exclude)
        {
            return ProjectFilter.AllProjects;
        }
        var field = include ? "projects.include" : "projects.exclude";
        var values = (include ? request.Include : request.Exclude)!;
        if (values.Count > MaxListLength)
        {
            errors.Add(field, $"must have at most {MaxListLength} entries.");
            return null;
        }
        for (var i = 0; i < values.Count; i++)
        {
            var name = values[i]?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                errors.Add($"{field}[{i}]", "must not be blank.");
            }
            else if (name.Length > MaxProjectNameLength)
            {
                errors.Add($"{field}[{i}]", $"must be at most {MaxProjectNameLength} characters.");
            }
        }
        var names = values.Select(v => v ?? "");
        return include ? ProjectFilter.Include(names) : ProjectFilter.Exclude(names);
    }

    private sealed class ErrorList
    {
        private readonly Dictionary<string, List<string>> errors = [];

        public void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }

        public void ThrowIfAny()
        {
            if (errors.Count > 0)
            {
                throw new ValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
            }
        }
    }
}

/// <summary>A checked create request.</summary>
public sealed record WebhookDraft(string Name, WebhookType Type, Uri Url, TeamsFlavor? TeamsFlavor, EventSubscription Events, ProjectFilter Projects, bool Enabled, int? RateLimit, bool TraceContext = false);

/// <summary>A checked update: null members stay as they are; a <paramref name="RateLimit"/> of 0 removes the webhook's own limit.</summary>
public sealed record WebhookChanges(string? Name, Uri? Url, TeamsFlavor? TeamsFlavor, EventSubscription? Events, ProjectFilter? Projects, bool? Enabled, int? RateLimit = null, bool? TraceContext = null);
