using System.Globalization;
using System.Text;
using Webhooks.Secrets;
using Webhooks.Signing;

namespace Webhooks.Tests.Signing;

/// <summary>The headers of a generic delivery: Standard Webhooks plus the product-style set, one signature per valid secret.</summary>
public sealed class DeliveryHeadersTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","event":"build_completed","message":"Grüße ✅"}""");
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 34, 56, 789, TimeSpan.Zero);

    private static Dictionary<string, string> Headers(string prefix, params string[] secrets)
    {
        var headers = DeliveryHeaders.For(prefix, "dlv_abc", "build_completed", At, Body, secrets);
        Assert.Equal(headers.Count, headers.Select(h => h.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        return headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
    }

    [Fact]
    public void OneSecretGivesTheSevenHeadersWithTheirValues()
    {
        var secret = SigningSecret.Generate();

        var headers = Headers("X-Webhook", secret);

        Assert.Equal(7, headers.Count);
        Assert.Equal("dlv_abc", headers["webhook-id"]);
        Assert.Equal(At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), headers["webhook-timestamp"]);
        Assert.Equal(WebhookSignatures.Standard(secret, "dlv_abc", At.ToUnixTimeSeconds(), Body), headers["webhook-signature"]);
        Assert.Equal("build_completed", headers["X-Webhook-Event"]);
        Assert.Equal("dlv_abc", headers["X-Webhook-Delivery"]);
        Assert.Equal("2026-03-01T12:34:56Z", headers["X-Webhook-Timestamp"]);
        Assert.Equal(WebhookSignatures.Hex(secret, Body), headers["X-Webhook-Signature"]);
    }

    [Fact]
    public void TheSignaturesAreMadeWithTheTimestampInWholeSeconds()
    {
        var secret = SigningSecret.Generate();

        var headers = Headers("X-Webhook", secret);

        Assert.True(WebhookVerifier.VerifyStandard(secret, headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], Body, At));
    }

    [Fact]
    public void EverySecretSignsCurrentFirstSpaceSeparatedForStandardAndCommaSeparatedForHex()
    {
        var current = SigningSecret.Generate();
        var previous = SigningSecret.Generate();

        var headers = Headers("X-Webhook", current, previous);

        var seconds = At.ToUnixTimeSeconds();
        Assert.Equal($"{WebhookSignatures.Standard(current, "dlv_abc", seconds, Body)} {WebhookSignatures.Standard(previous, "dlv_abc", seconds, Body)}", headers["webhook-signature"]);
        Assert.Equal($"{WebhookSignatures.Hex(current, Body)},{WebhookSignatures.Hex(previous, Body)}", headers["X-Webhook-Signature"]);
        foreach (var secret in new[] { current, previous })
        {
            Assert.True(WebhookVerifier.VerifyStandard(secret, "dlv_abc", headers["webhook-timestamp"], headers["webhook-signature"], Body, At));
            Assert.True(WebhookVerifier.VerifyHex(secret, headers["X-Webhook-Signature"], Body));
        }
        Assert.False(WebhookVerifier.VerifyHex(SigningSecret.Generate(), headers["X-Webhook-Signature"], Body));
    }

    [Fact]
    public void ThePrefixNamesTheProductStyleHeadersAndLeavesTheStandardOnes()
    {
        var headers = Headers("X-Acme", SigningSecret.Generate());

        Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature", "X-Acme-Event", "X-Acme-Delivery", "X-Acme-Timestamp", "X-Acme-Signature"], headers.Keys);
    }
}
