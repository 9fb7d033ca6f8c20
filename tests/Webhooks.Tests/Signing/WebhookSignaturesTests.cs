using System.Text;
using Webhooks.Secrets;
using Webhooks.Signing;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Signing;

/// <summary>Signatures verify with an independent implementation (the npm standardwebhooks package and Node's crypto), and with our receiver helper.</summary>
public sealed class WebhookSignaturesTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","event":"build_completed","data":{"projectName":"my-app","note":"ünïcode ✅"}}""");

    [Fact]
    public async Task StandardSignaturesVerifyWithTheStandardWebhooksLibrary()
    {
        var secret = SigningSecret.Generate();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = WebhookSignatures.Standard(secret, "dlv_123", timestamp, Body);

        var output = await NodeScript.RunAsync("""
            const { Webhook } = require("standardwebhooks");
            const body = Buffer.from(process.env.BODY_B64, "base64").toString("utf8");
            const headers = { "webhook-id": "dlv_123", "webhook-timestamp": process.env.TS, "webhook-signature": process.env.SIG };
            new Webhook(process.env.SECRET).verify(body, headers);
            try { new Webhook(process.env.SECRET).verify(body + " ", headers); console.log("tampered body accepted"); } catch { console.log("verified"); }
            """, ("SECRET", secret), ("TS", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("SIG", signature), ("BODY_B64", Convert.ToBase64String(Body)));
        Assert.Equal("verified", output);
    }

    [Fact]
    public async Task HexSignaturesMatchTheSeedProductsVerificationSample()
    {
        var secret = SigningSecret.Generate();
        var output = await NodeScript.RunAsync("""
            const crypto = require("crypto");
            const body = Buffer.from(process.env.BODY_B64, "base64");
            console.log("sha256=" + crypto.createHmac("sha256", process.env.SECRET).update(body).digest("hex"));
            """, ("SECRET", secret), ("BODY_B64", Convert.ToBase64String(Body)));
        Assert.Equal(WebhookSignatures.Hex(secret, Body), output);
    }

    [Fact]
    public void TheReceiverHelperAcceptsAnyValidSignatureDuringARotation()
    {
        var previous = SigningSecret.Generate();
        var current = SigningSecret.Generate();
        var now = DateTimeOffset.UtcNow;
        var ts = now.ToUnixTimeSeconds();
        var header = $"{WebhookSignatures.Standard(current, "dlv_9", ts, Body)} {WebhookSignatures.Standard(previous, "dlv_9", ts, Body)}";

        Assert.True(WebhookVerifier.VerifyStandard(previous, "dlv_9", ts.ToString(System.Globalization.CultureInfo.InvariantCulture), header, Body, now));
        Assert.True(WebhookVerifier.VerifyStandard(current, "dlv_9", ts.ToString(System.Globalization.CultureInfo.InvariantCulture), header, Body, now));
        Assert.False(WebhookVerifier.VerifyStandard(SigningSecret.Generate(), "dlv_9", ts.ToString(System.Globalization.CultureInfo.InvariantCulture), header, Body, now));
        Assert.True(WebhookVerifier.VerifyHex(current, WebhookSignatures.Hex(current, Body), Body));
        Assert.False(WebhookVerifier.VerifyHex(previous, WebhookSignatures.Hex(current, Body), Body));
    }

    [Fact]
    public void TheReceiverHelperRefusesStaleTimestampsAndChangedMessages()
    {
        var secret = SigningSecret.Generate();
        var now = DateTimeOffset.UtcNow;
        var old = now.AddMinutes(-6).ToUnixTimeSeconds();
        var ts = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(WebhookVerifier.VerifyStandard(secret, "dlv_1", old.ToString(System.Globalization.CultureInfo.InvariantCulture), WebhookSignatures.Standard(secret, "dlv_1", old, Body), Body, now));
        Assert.False(WebhookVerifier.VerifyStandard(secret, "dlv_2", ts, WebhookSignatures.Standard(secret, "dlv_1", now.ToUnixTimeSeconds(), Body), Body, now));
        Assert.False(WebhookVerifier.VerifyStandard(secret, "dlv_1", ts, WebhookSignatures.Standard(secret, "dlv_1", now.ToUnixTimeSeconds(), Body), [.. Body, (byte)' '], now));
    }
}
