using System.Text.Json;
using Microsoft.Extensions.Logging;
using Webhooks.Model;
using Webhooks.Tests.DurableHost;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Delivery;

/// <summary>
/// The SSRF guard at connect time, through the whole pipeline of both hosts: a stored URL that now
/// points at a forbidden destination (a changed DNS record, a rebinding, a row saved under older
/// rules) has its attempt refused before any connection is made, and the run ends there, failed as
/// <c>destination_not_allowed</c>, with an error that never names the address the host resolved to.
/// Loopback is not allowed here, and the receiver listens on 127.0.0.1: a refused loopback URL that
/// names the receiver's own port proves nothing connected.
/// </summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class RefusedAddressTests(AzuriteFixture storage)
{
    private static readonly (string, string?) LoopbackRefused = ("Webhooks:Endpoints:AllowLoopback", "false");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1.")]
    [InlineData("[::1]")]
    [InlineData("localhost")]
    [InlineData("localhost.")]
    [InlineData("foo.localhost")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("[fd00::1]")]
    [InlineData("[::ffff:10.0.0.1]")]
    [InlineData("[64:ff9b::a00:1]")]
    [InlineData("metadata")]
    [InlineData("metadata.google.internal")]
    public async Task ARefusedDestinationGetsOneAttemptAndFailsAsNotAllowed(string host)
    {
        await using var h = await DeliveryHarness.StartAsync(storage, LoopbackRefused);

        var (delivery, url) = await RefusedDeliveryAsync(h, host);

        var attempt = Assert.Single(delivery.GetProperty("attempts").EnumerateArray());
        Assert.Equal(url, attempt.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("response").ValueKind);
        Assert.StartsWith("Destination not allowed", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("destination_not_allowed", delivery.GetProperty("failureReason").GetString());
        Assert.Empty(h.Receiver.Received);
    }

    [Fact]
    public async Task ARefusedNameNeverShowsTheAddressItResolvesTo()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, LoopbackRefused);

        var (delivery, _) = await RefusedDeliveryAsync(h, "localhost");

        AssertNoLoopbackAddressIn(delivery.GetRawText());
        Assert.All(LinesAbout(h, delivery), AssertNoLoopbackAddressIn);
    }

    [Fact]
    public async Task ARefusalEndsTheDurableRunOnItsFirstAttemptWithoutTheResolvedAddress()
    {
        await using var h = await StandInHarness.StartAsync(storage, LoopbackRefused);

        var (delivery, _) = await RefusedDeliveryAsync(h, "localhost");

        Assert.Single(delivery.GetProperty("attempts").EnumerateArray());
        Assert.Equal("destination_not_allowed", delivery.GetProperty("failureReason").GetString());
        AssertNoLoopbackAddressIn(delivery.GetRawText());
        Assert.All(LinesAbout(h, delivery), AssertNoLoopbackAddressIn);
        Assert.Empty(h.Receiver.Received);
    }

    /// <summary>
    /// A refused run counts toward auto-disable as an exhausted run does: it starts (or continues) the
    /// failure streak, and disables the webhook only once no delivery has succeeded for the whole window.
    /// </summary>
    [Fact]
    public async Task RefusalsDisableTheWebhookOnlyByTheWindowRule()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, LoopbackRefused, ("Webhooks:Delivery:AutoDisableAfter", "00:00:02"));
        var webhook = (await h.Api.CreateWebhookAsync(h.Org)).Id;
        await h.RepointStoredAsync(webhook, $"http://127.0.0.1:{h.Receiver.Url.Port}/hook");

        var first = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(first, webhook), "failed");

        var afterFirst = await Eventually.ReturnsAsync<Webhook>(async () => await h.StoredWebhookAsync(webhook) is { FailingSince: not null } w ? w : null,
            "the failure streak to be recorded", details: h.Problems);
        Assert.True(afterFirst.Enabled, "one refusal disabled the webhook");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var second = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(second, webhook), "failed");
        var disabled = await Eventually.ReturnsAsync<string>(async () =>
        {
            var w = await h.WebhookAsync(webhook);
            return w.GetProperty("enabled").GetBoolean() ? null : w.GetProperty("disabledReason").GetString();
        }, "the webhook to be disabled", details: h.Problems);
        Assert.Contains("No delivery succeeded for 2 seconds", disabled, StringComparison.Ordinal);
    }

    /// <summary>Creates a webhook, points its stored row at <paramref name="host"/> on the receiver's port, and publishes one event; returns the failed delivery.</summary>
    private static async Task<(JsonElement Delivery, string Url)> RefusedDeliveryAsync(DeliveryWorld h, string host)
    {
        var webhook = (await h.Api.CreateWebhookAsync(h.Org)).Id;
        var url = $"http://{host}:{h.Receiver.Url.Port}/hook";
        await h.RepointStoredAsync(webhook, url);

        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));

        return (await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "failed", TimeSpan.FromSeconds(60)), url);
    }

    /// <summary>
    /// The host's lines at Information or above from the pipeline, or naming the delivery or its
    /// webhook (the hosts' own infrastructure logs the loopback addresses it listens on).
    /// </summary>
    private static IEnumerable<string> LinesAbout(DeliveryWorld h, JsonElement delivery)
    {
        var (deliveryId, webhookId) = (delivery.GetProperty("id").GetString()!, delivery.GetProperty("webhookId").GetString()!);
        return h.LogLines(LogLevel.Information).Where(l =>
            l.StartsWith("Webhooks.", StringComparison.Ordinal) || l.Contains(deliveryId, StringComparison.Ordinal) || l.Contains(webhookId, StringComparison.Ordinal));
    }

    private static void AssertNoLoopbackAddressIn(string text)
    {
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("::1", text, StringComparison.Ordinal);
    }
}
