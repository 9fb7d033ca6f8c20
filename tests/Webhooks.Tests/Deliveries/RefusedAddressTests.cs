using Microsoft.Extensions.DependencyInjection;
using Webhooks.Storage;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Deliveries;

/// <summary>
/// The SSRF guard at connect time, through the whole pipeline: a stored URL that now points at a
/// forbidden address (a changed DNS record, a rebinding) has every attempt refused before any
/// connection is made. Loopback is not allowed here, and the receiver listens on 127.0.0.1: a
/// refused loopback URL that names the receiver's own port proves nothing connected.
/// </summary>
[Collection(StorageTests.Name)]
public sealed class RefusedAddressTests(AzuriteFixture storage)
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("localhost")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("[fd00::1]")]
    [InlineData("[::ffff:10.0.0.1]")]
    [InlineData("[64:ff9b::a00:1]")]
    public async Task AttemptsToAForbiddenAddressAreRefusedWithoutConnecting(string host)
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Endpoints:AllowLoopback", "false"));
        var created = await h.Api.CreateGenericAsync(h.Org);
        var webhook = created.GetProperty("id").GetString()!;
        var url = $"http://{host}:{h.Receiver.Url.Port}/hook";
        var store = h.App.Services.GetRequiredService<WebhookStore>();
        var stored = await store.GetAsync(h.Org, webhook, CancellationToken.None);
        Assert.NotNull(await store.ReplaceAsync(stored! with { Url = url, DisplayUrl = url }, CancellationToken.None));

        var eventId = await h.PublishAsync(h.Event());
        var delivery = await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "exhausted");

        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.All(attempts, a =>
        {
            Assert.Equal(url, a.GetProperty("url").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, a.GetProperty("response").ValueKind);
            Assert.Contains("which webhooks may not reach", a.GetProperty("error").GetString(), StringComparison.Ordinal);
        });
        Assert.Empty(h.Receiver.Received);
    }
}
