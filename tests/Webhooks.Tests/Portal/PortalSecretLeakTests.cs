using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api;
using Webhooks.Secrets;
using Webhooks.Tests.FunctionsHttp;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Portal;

/// <summary>The portal signing keys and the tokens they sign are in no log line and no table beside the secret store.</summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class PortalSecretLeakTests(AzuriteFixture storage)
{
    [Fact]
    public async Task PortalKeysAndTokensAppearInNoLogLineOrTable()
    {
        var keysTable = "pk" + Guid.NewGuid().ToString("N")[..12];
        // Every category at every level: a token in a debug line of the bearer handler is a leak too.
        await using var w = new PortalWorld(storage, new Dictionary<string, string?>
        {
            ["Webhooks:Portal:KeysTable"] = keysTable,
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        var read = await w.SessionAsync(w.Org, "read");
        var manage = await w.SessionAsync(w.Org, "manage");
        await w.Operator.CreateWebhookAsync(w.Org);
        var list = ApiRequest.Get(PortalWorld.PortalWebhooks(w.Org));
        Assert.Equal(200, (await w.BothAsync(list, read)).Status);
        Assert.Equal(403, (await w.BothAsync(ApiRequest.Delete(PortalWorld.PortalWebhook(w.Org, "wh_x")), read)).Status);
        Assert.Equal(404, (await w.BothAsync(ApiRequest.Get(PortalWorld.PortalWebhooks("someone-else")), manage)).Status);
        Assert.Equal(401, (await w.BothAsync(list, read[..^3] + "abc")).Status);
        Assert.Equal(401, (await w.Anonymous.SendAsync(ApiRequest.Get(Routes.Webhooks(w.Org)).WithHeader("Authorization", "Bearer " + manage))).Status);
        await w.Operator.SendAsync(ApiRequest.Post("/api/portal-keys/rotate"));
        var afterRotation = await w.SessionAsync(w.Org, "manage");
        w.App.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(401, (await w.BothAsync(list, afterRotation)).Status);

        var ring = await StoredRows.ReadAllAsync(storage, keysTable);
        var versions = ring.SelectMany(r => new[] { r.GetString("Current") }.Concat(System.Text.Json.JsonDocument.Parse(r.GetString("Previous")).RootElement.EnumerateArray().Select(p => p.GetProperty("Version").GetString())));
        var store = w.App.Services.GetRequiredService<ISecretStore>();
        var keys = new List<string>();
        foreach (var version in versions)
        {
            keys.Add((await store.GetAsync(PortalKeyRing.SecretName, version!, CancellationToken.None))!);
        }
        Assert.Equal(2, keys.Count);

        var logs = w.App.LogText();
        var tables = await StoredRows.DumpAsync(storage, keysTable) + await StoredRows.DumpAsync(storage, "webhooks");
        Assert.Contains("portal", logs, StringComparison.OrdinalIgnoreCase);
        foreach (var secret in keys.Concat([read, manage, afterRotation]).Concat(new[] { read, manage, afterRotation }.Select(t => t.Split('.')[2])))
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, tables, StringComparison.Ordinal);
        }
    }
}
