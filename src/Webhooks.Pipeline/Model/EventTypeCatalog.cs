using Microsoft.Extensions.Options;

namespace Webhooks.Model;

/// <summary>The event types producers may publish and webhooks may subscribe to.</summary>
public sealed class EventTypeCatalog(IOptions<EventTypeOptions> options)
{
    private readonly IReadOnlyList<EventTypeDefinition> types = options.Value.EffectiveTypes();

    public IReadOnlyList<EventTypeDefinition> Types => types;

    public bool Contains(string eventType) => types.Any(t => t.Name == eventType);
}

/// <summary>One catalogue entry.</summary>
public sealed record EventTypeDefinition(string Name, string Description);

/// <summary>Settings section <c>Webhooks:EventTypes</c>.</summary>
public sealed class EventTypeOptions
{
    public const string Section = "Webhooks:EventTypes";

    /// <summary>
    /// The catalogue, name to description. Empty means the default catalogue of the mobile-build
    /// product: build, submit and update, each completed or failed.
    /// </summary>
    public Dictionary<string, string> Types { get; init; } = [];

    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["build_completed"] = "A build finished successfully.",
        ["build_failed"] = "A build failed.",
        ["submit_completed"] = "A store submission succeeded.",
        ["submit_failed"] = "A store submission failed.",
        ["update_completed"] = "An over-the-air update was published.",
        ["update_failed"] = "An over-the-air update failed.",
    };

    /// <summary>Always in the catalogue, whatever is configured: the pipeline publishes it.</summary>
    public static KeyValuePair<string, string> WebhookDisabled { get; } =
        new(SystemEventTypes.WebhookDisabled, "A webhook was disabled automatically because its endpoint kept failing.");

    internal IReadOnlyList<EventTypeDefinition> EffectiveTypes() =>
        (Types.Count == 0 ? Defaults : Types)
            .Append(WebhookDisabled)
            .DistinctBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new EventTypeDefinition(kv.Key, kv.Value))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();
}
