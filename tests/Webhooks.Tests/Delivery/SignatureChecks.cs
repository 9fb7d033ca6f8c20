using System.Globalization;
using System.Text;
using Webhooks.Signing;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Delivery;

/// <summary>Verifies a received delivery's signatures the way receivers do: the npm standardwebhooks package, Node's crypto, and the library's verifier.</summary>
public static class SignatureChecks
{
    /// <summary>Whether the standardwebhooks npm package accepts the delivery with <paramref name="secret"/>.</summary>
    public static async Task<bool> StandardWebhooksPackageAcceptsAsync(ReceivedRequest request, string secret)
    {
        var output = await NodeScript.RunAsync("""
            const { Webhook } = require("standardwebhooks");
            const body = Buffer.from(process.env.BODY_B64, "base64").toString("utf8");
            const headers = { "webhook-id": process.env.ID, "webhook-timestamp": process.env.TS, "webhook-signature": process.env.SIG };
            try { new Webhook(process.env.SECRET).verify(body, headers); console.log("verified"); } catch (e) { console.log("refused: " + e.message); }
            """,
            ("SECRET", secret),
            ("ID", request.Headers["webhook-id"]),
            ("TS", request.Headers["webhook-timestamp"]),
            ("SIG", request.Headers["webhook-signature"]),
            ("BODY_B64", Convert.ToBase64String(Encoding.UTF8.GetBytes(request.Body))));
        return output == "verified";
    }

    /// <summary>Whether Node's crypto, keyed with the whole whsec_ secret as UTF-8, computes one of the header's hex signatures.</summary>
    public static async Task<bool> NodeHexMatchesAsync(ReceivedRequest request, string secret, string header = "X-Webhook-Signature")
    {
        var output = await NodeScript.RunAsync("""
            const crypto = require("crypto");
            const body = Buffer.from(process.env.BODY_B64, "base64");
            const expected = "sha256=" + crypto.createHmac("sha256", Buffer.from(process.env.SECRET, "utf8")).update(body).digest("hex");
            console.log(process.env.SIG.split(",").map(s => s.trim()).includes(expected) ? "verified" : "refused");
            """,
            ("SECRET", secret),
            ("SIG", request.Headers[header]),
            ("BODY_B64", Convert.ToBase64String(Encoding.UTF8.GetBytes(request.Body))));
        return output == "verified";
    }

    public static bool VerifierAcceptsStandard(ReceivedRequest request, string secret) =>
        WebhookVerifier.VerifyStandard(secret, request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], Encoding.UTF8.GetBytes(request.Body), DateTimeOffset.UtcNow);

    public static bool VerifierAcceptsHex(ReceivedRequest request, string secret, string header = "X-Webhook-Signature") =>
        WebhookVerifier.VerifyHex(secret, request.Headers[header], Encoding.UTF8.GetBytes(request.Body));

    public static DateTimeOffset StandardTimestamp(ReceivedRequest request) =>
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Headers["webhook-timestamp"], CultureInfo.InvariantCulture));
}
