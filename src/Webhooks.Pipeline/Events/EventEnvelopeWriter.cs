using System.Globalization;
using System.Text.Json;

namespace Webhooks.Events;

/// <summary>Writes an event as the envelope producers send (<c>schemas/webhook-event.schema.json</c>).</summary>
public static class EventEnvelopeWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(WebhookEvent e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("id", e.Id);
            writer.WriteString("type", e.Type);
            writer.WriteString("occurredAt", e.OccurredAt.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteStartObject("organization");
            writer.WriteString("id", e.Organization.Id);
            if (e.Organization.Name is not null)
            {
                writer.WriteString("name", e.Organization.Name);
            }
            writer.WriteEndObject();
            if (e.Project is not null)
            {
                writer.WriteString("project", e.Project);
            }
            writer.WritePropertyName("data");
            e.Data.WriteTo(writer);
            if (e.Message is not null)
            {
                writer.WriteString("message", e.Message);
            }
            if (e.TraceParent is not null)
            {
                writer.WriteString("traceparent", e.TraceParent);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
