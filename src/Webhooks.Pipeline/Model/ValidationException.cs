namespace Webhooks.Model;

/// <summary>
/// Input that breaks a rule; each entry names the field at fault (JSON path, camelCase). Field names
/// can come from input (an unknown member, a path into event data), so each is cut to
/// <see cref="MaxFieldChars"/> here, the one place every answer and poison reason gets them from.
/// </summary>
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The request is invalid: " + string.Join("; ", Bounded(errors).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public const int MaxFieldChars = 200;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = Bounded(errors);

    public static ValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    private static Dictionary<string, string[]> Bounded(IReadOnlyDictionary<string, string[]> errors)
    {
        var bounded = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, messages) in errors)
        {
            // Two long names cut alike keep the first's messages; both name the same visible prefix.
            bounded.TryAdd(Model.TextCut.Bounded(field, MaxFieldChars), messages);
        }
        return bounded;
    }
}
