using System.Text;
using Microsoft.Extensions.Options;
using Webhooks.Ingestion;
using Webhooks.Management;
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
}
