using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Webhooks.Api;
using Webhooks.Secrets;
using Webhooks.Tests.FunctionsHttp;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Portal;

/// <summary>Which tokens open the portal, on both hosts: only unexpired, untampered ones signed by a key of the ring.</summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class PortalTokenTests(AzuriteFixture storage)
{
    [Fact]
    public async Task ASessionExpiresAtItsLifetime()
    {
        await using var w = new PortalWorld(storage);
        var token = await w.SessionAsync(w.Org, lifetimeMinutes: 30);
        var list = ApiRequest.Get(PortalWorld.PortalWebhooks(w.Org));

        w.App.Clock.Advance(TimeSpan.FromMinutes(29));
        var before = await w.BothAsync(list, token);
        w.App.Clock.Advance(TimeSpan.FromMinutes(1) + PortalTokens.ClockSkew);
        var after = await w.BothAsync(list, token);

        Assert.Equal(200, before.Status);
        Assert.Equal(401, after.Status);
        Assert.Equal("application/problem+json", after.ContentType);
        Assert.Equal("Bearer", after.Challenge);
    }

    [Fact]
    public async Task ATamperedTokenIsRefused()
    {
        await using var w = new PortalWorld(storage);
        var token = await w.SessionAsync(w.Org, "read");
        var parts = token.Split('.');
        // The same signature over a payload that claims manage: the signature no longer matches.
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"read\"", "\"manage\"", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        var unsigned = $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.";
        var create = ApiRequest.Json("POST", PortalWorld.PortalWebhooks(w.Org), new { name = "x", url = ApiCalls.ExampleUrl });

        Assert.Equal(403, (await w.BothAsync(create, token)).Status);
        foreach (var bad in new[] { forged, unsigned, token[..^2], "not-a-jwt" })
        {
            var answer = await w.BothAsync(create, bad);
            Assert.True(answer.Status == 401, $"{bad}: {answer}");
        }
    }

    [Fact]
    public async Task ATokenOfARotatedOutKeyWorksUntilItExpiresAndAnUnknownKeyNever()
    {
        await using var w = new PortalWorld(storage);
        var old = await w.SessionAsync(w.Org, "read");
        var list = ApiRequest.Get(PortalWorld.PortalWebhooks(w.Org));
        var oldKid = new JsonWebToken(old).Kid;

        var rotated = await w.Operator.SendAsync(ApiRequest.Post("/api/portal-keys/rotate"));
        var fresh = await w.SessionAsync(w.Org, "read");

        Assert.Equal(200, rotated.Status);
        Assert.NotEqual(oldKid, new JsonWebToken(fresh).Kid);
        Assert.Equal(rotated.Text("keyId"), new JsonWebToken(fresh).Kid);
        Assert.Equal(200, (await w.BothAsync(list, old)).Status);
        Assert.Equal(200, (await w.BothAsync(list, fresh)).Status);
        Assert.DoesNotContain(oldKid, rotated.Body, StringComparison.Ordinal);

        var stranger = Signed(w, RandomNumberGenerator.GetBytes(32), "made-up-kid");
        var sameKidOtherKey = Signed(w, RandomNumberGenerator.GetBytes(32), new JsonWebToken(fresh).Kid);
        Assert.Equal(401, (await w.BothAsync(list, stranger)).Status);
        Assert.Equal(401, (await w.BothAsync(list, sameKidOtherKey)).Status);

        // Past the longest lifetime the old key verifies nothing, even a token of its own that claims to live longer.
        var oldKey = await w.App.Services.GetRequiredService<ISecretStore>().GetAsync(PortalKeyRing.SecretName, oldKid, CancellationToken.None);
        var longLived = Signed(w, Convert.FromBase64String(oldKey!), oldKid, TimeSpan.FromHours(3));
        Assert.Equal(200, (await w.BothAsync(list, longLived)).Status);
        w.App.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(401, (await w.BothAsync(list, old)).Status);
        Assert.Equal(401, (await w.BothAsync(list, longLived)).Status);
    }

    /// <summary>A portal token for the world's organization that is right in every way but its key.</summary>
    private static string Signed(PortalWorld w, byte[] key, string kid, TimeSpan? lifetime = null) =>
        PortalTestTokens.Sign(key, kid, w.Org, "manage", w.App.Clock.GetUtcNow(), lifetime ?? TimeSpan.FromMinutes(30));
}
