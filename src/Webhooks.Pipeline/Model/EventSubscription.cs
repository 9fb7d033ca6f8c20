namespace Webhooks.Model;

/// <summary>
/// The event types a webhook receives: either every type (including types added to the catalogue
/// later) or an explicit set.
/// </summary>
public sealed record EventSubscription
{
    /// <summary>The wire value that subscribes to every event type.</summary>
    public const string AllToken = "all";

    private EventSubscription(bool all, IReadOnlyList<string> types)
    {
        All = all;
        Types = types;
    }

    public static EventSubscription Everything { get; } = new(true, []);

    public bool All { get; }

    /// <summary>The subscribed types in catalogue spelling, sorted; empty when <see cref="All"/>.</summary>
    public IReadOnlyList<string> Types { get; }

    public static EventSubscription Of(IEnumerable<string> types) =>
        new(false, types.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());

    public bool Includes(string eventType) => All || Types.Contains(eventType, StringComparer.Ordinal);

    /// <summary>The API and storage spelling: <c>["all"]</c> or the types.</summary>
    public IReadOnlyList<string> ToWire() => All ? [AllToken] : Types;

    public static EventSubscription FromWire(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Contains(AllToken) ? Everything : Of(list);
    }

    public bool Equals(EventSubscription? other) =>
        other is not null && All == other.All && Types.SequenceEqual(other.Types);

    public override int GetHashCode() => HashCode.Combine(All, Types.Count);
}
