using System.Globalization;
using System.Net;
using Webhooks.Secrets;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Delivery;

/// <summary>
/// The signatures a generic webhook's delivery carries, checked end to end against independent
/// implementations, through a secret rotation and with a branded header prefix.
/// </summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class SignedDeliveryTests(AzuriteFixture storage)
{
    private static async Task<ReceivedRequest> DeliverOneAsync(DeliveryHarness h, string webhook, int count = 1)
    {
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org, message: "Grüße ✅"));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        var received = h.ReceivedOn("/hook");
        Assert.Equal(count, received.Count);
        return received[^1];
    }

    [Fact]
    public async Task AGenericDeliveryCarriesTheStandardAndProductStyleHeaders()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, _) = await h.CreateWebhookAsync();
        var published = DateTimeOffset.UtcNow;
        var eventId = await h.PublishAsync(TestEvents.Envelope(h.Org));
        await h.WaitForStatusAsync(webhook, h.DeliveryIdOf(eventId, webhook), "succeeded");
        var request = Assert.Single(h.ReceivedOn("/hook"));
        var headers = request.Headers;

        var deliveryId = h.DeliveryIdOf(eventId, webhook);
        Assert.Equal(deliveryId, headers["webhook-id"]);
        Assert.Equal(deliveryId, headers["X-Webhook-Delivery"]);
        Assert.Equal("build_completed", headers["X-Webhook-Event"]);
        var signedAt = SignatureChecks.StandardTimestamp(request);
        // Signed when sent: between the publish and the arrival (whole seconds, so a second's slack each side), however slow the run.
        Assert.InRange(signedAt, published.AddSeconds(-1), request.At.AddSeconds(1));
        Assert.Equal(signedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), headers["X-Webhook-Timestamp"]);
        Assert.Matches(@"^v1,[A-Za-z0-9+/]{43}=$", headers["webhook-signature"]);
        Assert.Matches("^sha256=[0-9a-f]{64}$", headers["X-Webhook-Signature"]);
    }

    [Fact]
    public async Task TheStandardSignatureVerifiesWithTheStandardWebhooksPackageAndTheLibraryVerifier()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, secret) = await h.CreateWebhookAsync();

        var request = await DeliverOneAsync(h, webhook);

        Assert.True(await SignatureChecks.StandardWebhooksPackageAcceptsAsync(request, secret));
        Assert.True(SignatureChecks.VerifierAcceptsStandard(request, secret));
        var stranger = SigningSecret.Generate();
        Assert.False(await SignatureChecks.StandardWebhooksPackageAcceptsAsync(request, stranger));
        Assert.False(SignatureChecks.VerifierAcceptsStandard(request, stranger));
    }

    [Fact]
    public async Task TheHexSignatureIsTheHmacOfTheBodyKeyedWithTheWholeSecret()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, secret) = await h.CreateWebhookAsync();

        var request = await DeliverOneAsync(h, webhook);

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(await SignatureChecks.NodeHexMatchesAsync(request, secret));
        Assert.True(SignatureChecks.VerifierAcceptsHex(request, secret));
        Assert.False(await SignatureChecks.NodeHexMatchesAsync(request, secret["whsec_".Length..]));
    }

    [Fact]
    public async Task AfterARegenerationBothTheOldAndTheNewSecretVerifyUnderBothSchemes()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, oldSecret) = await h.CreateWebhookAsync();
        var before = await DeliverOneAsync(h, webhook);

        var regenerated = await h.Api.PostAsync(Routes.RegenerateSecret(h.Org, webhook), content: null);
        var answer = await regenerated.ReadJsonAsync();
        Assert.True(regenerated.StatusCode == HttpStatusCode.OK, $"regenerate failed: {(int)regenerated.StatusCode} {answer}");
        var newSecret = answer.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        var after = await DeliverOneAsync(h, webhook, count: 2);

        Assert.False(SignatureChecks.VerifierAcceptsStandard(before, newSecret));
        Assert.Equal(2, after.Headers["webhook-signature"].Split(' ').Length);
        Assert.Equal(2, after.Headers["X-Webhook-Signature"].Split(',').Length);
        foreach (var secret in new[] { oldSecret, newSecret })
        {
            Assert.True(await SignatureChecks.StandardWebhooksPackageAcceptsAsync(after, secret), "standardwebhooks refused a valid secret");
            Assert.True(SignatureChecks.VerifierAcceptsStandard(after, secret));
            Assert.True(await SignatureChecks.NodeHexMatchesAsync(after, secret), "node crypto found no matching hex signature");
            Assert.True(SignatureChecks.VerifierAcceptsHex(after, secret));
        }
        Assert.False(SignatureChecks.VerifierAcceptsHex(after, SigningSecret.Generate()));
    }

    [Fact]
    public async Task AfterManyRegenerationsADeliveryCarriesOnlyTheCurrentAndTheKeptPredecessorsSignatures()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Secrets:MaxPreviousSecrets", "1"));
        var (webhook, first) = await h.CreateWebhookAsync();
        var issued = new List<string> { first };
        for (var i = 0; i < 6; i++)
        {
            issued.Add(await RegenerateAsync(h, webhook, ""));
        }

        var request = await DeliverOneAsync(h, webhook);

        Assert.Equal(2, request.Headers["webhook-signature"].Split(' ').Length);
        Assert.Equal(2, request.Headers["X-Webhook-Signature"].Split(',').Length);
        Assert.True(SignatureChecks.VerifierAcceptsStandard(request, issued[^1]));
        Assert.True(SignatureChecks.VerifierAcceptsStandard(request, issued[^2]));
        Assert.All(issued[..^2], old => Assert.False(SignatureChecks.VerifierAcceptsStandard(request, old)));
    }

    [Theory]
    [InlineData("revoke call")]
    [InlineData("regenerate with revokePrevious")]
    public async Task AfterRevokingThePreviousSecretsADeliveryCarriesOnlyTheNewSignature(string how)
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var (webhook, first) = await h.CreateWebhookAsync();
        var leaked = await RegenerateAsync(h, webhook, "");
        string current;
        if (how == "revoke call")
        {
            current = await RegenerateAsync(h, webhook, "");
            var revoked = await h.Api.PostAsync(Routes.RevokePreviousSecret(h.Org, webhook), content: null);
            Assert.True(revoked.StatusCode == HttpStatusCode.OK, $"revoke failed: {(int)revoked.StatusCode} {await revoked.Content.ReadAsStringAsync()}");
        }
        else
        {
            current = await RegenerateAsync(h, webhook, "?revokePrevious=true");
        }

        var request = await DeliverOneAsync(h, webhook);

        Assert.Single(request.Headers["webhook-signature"].Split(' '));
        Assert.Single(request.Headers["X-Webhook-Signature"].Split(','));
        Assert.True(SignatureChecks.VerifierAcceptsStandard(request, current));
        Assert.True(SignatureChecks.VerifierAcceptsHex(request, current));
        Assert.False(SignatureChecks.VerifierAcceptsStandard(request, leaked));
        Assert.False(SignatureChecks.VerifierAcceptsStandard(request, first));
    }

    private static async Task<string> RegenerateAsync(DeliveryHarness h, string webhook, string query)
    {
        var response = await h.Api.PostAsync($"{Routes.RegenerateSecret(h.Org, webhook)}{query}", content: null);
        var answer = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"regenerate failed: {(int)response.StatusCode} {answer}");
        return answer.GetProperty("secret").GetString()!;
    }

    [Fact]
    public async Task TheProductStyleHeadersTakeTheConfiguredPrefix()
    {
        await using var h = await DeliveryHarness.StartAsync(storage, ("Webhooks:Signing:HeaderPrefix", "X-Acme"));
        var (webhook, secret) = await h.CreateWebhookAsync();

        var request = await DeliverOneAsync(h, webhook);

        var headers = request.Headers;
        Assert.Equal("build_completed", headers["X-Acme-Event"]);
        Assert.Equal(headers["webhook-id"], headers["X-Acme-Delivery"]);
        Assert.Equal(SignatureChecks.StandardTimestamp(request).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), headers["X-Acme-Timestamp"]);
        Assert.True(SignatureChecks.VerifierAcceptsHex(request, secret, "X-Acme-Signature"));
        Assert.True(await SignatureChecks.NodeHexMatchesAsync(request, secret, "X-Acme-Signature"));
        Assert.True(SignatureChecks.VerifierAcceptsStandard(request, secret));
        Assert.DoesNotContain(headers.Keys, k => k.StartsWith("X-Webhook-", StringComparison.OrdinalIgnoreCase));
    }
}
