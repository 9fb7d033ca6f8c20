using System.Text;
using Microsoft.Extensions.Options;
using Webhooks.Events;
using Webhooks.Model;

namespace Webhooks.Tests.Ingestion;

public sealed class EventEnvelopeReaderTests
{
    private readonly EventEnvelopeReader reader = new(new EventTypeCatalog(Options.Create(new EventTypeOptions())));

    private const string Valid = """
        {"id":"evt_1","type":"build_completed","occurredAt":"2026-11-23T10:00:00Z",
         "organization":{"id":"acme","name":"Acme"},"project":" my-app ","data":{"id":"build-42","platform":"ios"},"message":"Shipped"}
        """;

    [Fact]
    public void AValidEnvelopeIsRead()
    {
        var e = reader.Read(Encoding.UTF8.GetBytes(Valid));
        Assert.Equal("evt_1", e.Id);
        Assert.Equal("build_completed", e.Type);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal(new EventOrganization("acme", "Acme"), e.Organization);
        Assert.Equal("my-app", e.Project);
        Assert.Equal("ios", e.Data["platform"]!.GetValue<string>());
        Assert.Equal("Shipped", e.Message);
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("""{"type":"build_completed","occurredAt":"2026-11-23T10:00:00Z","organization":{"id":"acme"}}""", "id")]
    [InlineData("""{"id":"e","occurredAt":"2026-11-23T10:00:00Z","organization":{"id":"acme"}}""", "type")]
    [InlineData("""{"id":"e","type":"build_exploded","occurredAt":"2026-11-23T10:00:00Z","organization":{"id":"acme"}}""", "type")]
    [InlineData("""{"id":"e","type":"build_failed","occurredAt":"yesterday","organization":{"id":"acme"}}""", "occurredAt")]
    [InlineData("""{"id":"e","type":"build_failed","occurredAt":"2026-11-23T10:00:00Z"}""", "organization")]
    [InlineData("""{"id":"e","type":"build_failed","occurredAt":"2026-11-23T10:00:00Z","organization":{"id":"a/b"}}""", "organization.id")]
    [InlineData("""{"id":"e","type":"build_failed","occurredAt":"2026-11-23T10:00:00Z","organization":{"id":"acme"},"data":[1]}""", "data")]
    public void BadEnvelopesAreRefusedNamingTheField(string json, string field)
    {
        var e = Assert.Throws<ValidationException>(() => reader.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(field, e.Errors.Keys);
    }

    [Fact]
    public void OversizedEnvelopesAreRefused()
    {
        var json = Valid.Replace("Shipped", new string('x', EventEnvelopeReader.MaxEventBytes), StringComparison.Ordinal);
        var e = Assert.Throws<ValidationException>(() => reader.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("body", e.Errors.Keys);
    }

    /// <summary>
    /// Deliveries stored before the producer rules were tightened are retried and resent from their
    /// stored event: it must still read, though a producer sending it now is refused.
    /// </summary>
    [Fact]
    public void AStoredEventThatTodaysProducerRulesRefuseIsStillRead()
    {
        var json = Encoding.UTF8.GetBytes($$"""
            {"id":"evt_\u200Bzero","type":"build_completed","occurredAt":"2026-11-23 10:00:00Z",
             "organization":{"id":"acme","name":"{{new string('n', 300)}}"},"project":"{{new string('p', 300)}}","message":"{{new string('m', 3000)}}"}
            """);
        var refused = Assert.Throws<ValidationException>(() => reader.Read(json));
        Assert.Contains("id", refused.Errors.Keys);
        Assert.Contains("organization.name", refused.Errors.Keys);

        var stored = EventEnvelopeReader.ReadStored(json);

        Assert.Equal("evt_\u200Bzero", stored.Id);
        Assert.Equal(300, stored.Organization.Name!.Length);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), stored.OccurredAt);
    }

    [Theory]
    [InlineData("evt_\U000E0041\U000E0042")]
    [InlineData("evt_\U000E0001")]
    [InlineData("evt_\U0001D173")]
    public void AnIdWithAnInvisibleFormatCharacterBeyondTheBasicPlaneIsRefused(string id)
    {
        var json = Valid.Replace("evt_1", id, StringComparison.Ordinal);
        var e = Assert.Throws<ValidationException>(() => reader.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("id", e.Errors.Keys);
    }
}
