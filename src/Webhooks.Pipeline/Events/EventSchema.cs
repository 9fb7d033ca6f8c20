namespace Webhooks.Events;

/// <summary><c>schemas/webhook-event.schema.json</c>, embedded in the library from that one file, so both hosts serve the schema the reader is tested against.</summary>
public static class EventSchema
{
    public const string MediaType = "application/schema+json";

    private static readonly Lazy<byte[]> Bytes = new(Load);

    /// <summary>The schema file's bytes, as written.</summary>
    public static ReadOnlyMemory<byte> Json => Bytes.Value;

    private static byte[] Load()
    {
        using var stream = typeof(EventSchema).Assembly.GetManifestResourceStream("webhook-event.schema.json")
            ?? throw new InvalidOperationException("The event schema is not embedded in the library.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
