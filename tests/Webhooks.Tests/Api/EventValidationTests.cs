using System.Net;
using System.Text;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Api;

/// <summary>
/// Over HTTP a bad event is refused with a problem naming the field at fault, and nothing reaches
/// the events queue. The queue driver is off, so whatever was published stays on the queue to be seen.
/// </summary>
[Collection(StorageTests.Name)]
public sealed class EventValidationTests(AzuriteFixture storage)
{
    [Theory]
    [InlineData("not-json", "body")]
    [InlineData("missing-id", "id")]
    [InlineData("missing-type", "type")]
    [InlineData("missing-organization", "organization")]
    [InlineData("unknown-type", "type")]
    public async Task ABadEventIsA400NamingTheFieldAndIsNotQueued(string fault, string field)
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var body = PoisonEventTests.BadEvent(fault, h.Org);

        var response = await h.Api.PostAsync(Routes.Events(h.Org), new StringContent(body, Encoding.UTF8, "application/json"));

        var messages = await response.AssertFieldErrorAsync(field);
        Assert.NotEmpty(messages);
        await AssertNothingQueuedAsync(h);
    }

    [Fact]
    public async Task AnOrganizationInTheBodyOtherThanTheRoutesIsA400NamingOrganizationId()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var other = ApiCalls.NewOrganization();

        var response = await h.Api.PostEventAsync(h.Org, TestEvents.Envelope(other));

        var messages = await response.AssertFieldErrorAsync("organization.id");
        Assert.Contains(messages, m => m.Contains(h.Org, StringComparison.Ordinal));
        await AssertNothingQueuedAsync(h);
    }

    [Fact]
    public async Task AnInvalidOrganizationInTheRouteIsA400NamingOrgId()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));

        var response = await h.Api.PostEventAsync("-not_an_org", TestEvents.Envelope(h.Org));

        await response.AssertFieldErrorAsync("orgId");
        await AssertNothingQueuedAsync(h);
    }

    [Fact]
    public async Task AnEventLargerThanTheQueueTakesIs413NamingTheLimitAndIsNotQueued()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var body = PoisonEventTests.BadEvent("too-large", h.Org);

        var response = await h.Api.PostAsync(Routes.Events(h.Org), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"{Webhooks.Events.EventEnvelopeReader.MaxEventBytes} bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingQueuedAsync(h);
    }

    [Fact]
    public async Task AnEventThatIsNotSentAsJsonIs415()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));

        var response = await h.Api.PostAsync(Routes.Events(h.Org), new StringContent(TestEvents.Envelope(h.Org).ToJsonString(), Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingQueuedAsync(h);
    }

    [Fact]
    public async Task AGoodEventIsQueuedOnceAsBase64()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Driver:Enabled", "false"));
        var envelope = TestEvents.Envelope(h.Org);

        var response = await h.Api.PostEventAsync(h.Org, envelope);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, h.App);
        var queued = Assert.Single((await queue.PeekMessagesAsync(32)).Value);
        var decoded = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(queued.MessageText)).RootElement;
        Assert.Equal(envelope["id"]!.GetValue<string>(), decoded.GetProperty("id").GetString());
    }

    private async Task AssertNothingQueuedAsync(DeliveryHarness h)
    {
        var queue = await ApiTestHelpers.RawEventsQueueAsync(storage, h.App);
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
    }
}
