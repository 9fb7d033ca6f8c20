using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Webhooks.Secrets;
using Webhooks.Storage;

namespace Webhooks.Api;

/// <summary>
/// The keys portal tokens are signed with: 256-bit HMAC keys held in the secret store (Key Vault in
/// Azure), one current key that signs and the rotated-out ones that still verify until the longest
/// token they may have signed has expired. A table row names the versions (the values never leave the
/// secret store and this process's memory); each version is also the key's <c>kid</c>.
/// </summary>
public sealed class PortalKeyRing(TableProvider tables, ISecretStore store, IOptions<PortalOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>How long this process trusts the ring it read: a rotation elsewhere reaches it within this time (sooner for a token with a new kid).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>The shortest time between two reads caused by unknown kids, so made-up kids cannot turn into storage traffic.</summary>
    private static readonly TimeSpan UnknownKeyRefresh = TimeSpan.FromSeconds(5);

    /// <summary>The most rotated-out keys kept verifying (rotating faster than the token lifetime drops the oldest).</summary>
    private const int MaxPreviousKeys = 10;

    /// <summary>The secret store name of the signing key; each version is one key.</summary>
    public const string SecretName = "portal-signing-key";
    private const string Partition = "portal";
    private const string Row = "signing-key";

    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile Snapshot? snapshot;

    /// <summary>The key new tokens are signed with, created on first use.</summary>
    public async Task<SymmetricSecurityKey> SigningKeyAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(kid: null, cancellationToken)).Signing;

    /// <summary>Makes sure the ring in memory is fresh enough to verify a token signed with <paramref name="kid"/>.</summary>
    public Task PrepareAsync(string? kid, CancellationToken cancellationToken) => CurrentAsync(kid, cancellationToken);

    /// <summary>The keys that verify a token with <paramref name="kid"/>, from the ring in memory (call <see cref="PrepareAsync"/> first): none for an unknown or expired key.</summary>
    public IEnumerable<SecurityKey> VerificationKeys(string? kid)
    {
        var now = clock.GetUtcNow();
        return snapshot?.Verifying.Where(k => k.Key.KeyId == kid && k.ValidUntil > now).Select(k => (SecurityKey)k.Key) ?? [];
    }

    /// <summary>Makes a new key that signs from now on; the current one keeps verifying until the tokens it signed have expired. Returns the new key's id and that time.</summary>
    public async Task<(string KeyId, DateTimeOffset? PreviousValidUntil)> RotateAsync(CancellationToken cancellationToken)
    {
        var table = await tables.NamedAsync(options.Value.KeysTable, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var row = await ReadRowAsync(table, cancellationToken);
            var version = await store.SetAsync(SecretName, NewKey(), cancellationToken);
            var now = clock.GetUtcNow();
            var previous = row is null ? [] : Previous(row).Where(p => p.ValidUntil > now).ToList();
            if (row?.GetString("Current") is { } current)
            {
                previous.Insert(0, new PreviousKey(current, now + options.Value.TokenLifetime + PortalTokens.ClockSkew));
            }
            var kept = previous.Take(MaxPreviousKeys).ToList();
            var entity = new TableEntity(Partition, Row) { ["Current"] = version, ["Previous"] = JsonSerializer.Serialize(kept) };
            try
            {
                if (row is null)
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 5)
            {
                // Another rotation won: ours never signed anything, so it goes, and the rotation starts over on the new ring.
                await store.DiscardAsync(SecretName, version, CancellationToken.None);
                continue;
            }
            foreach (var dropped in previous.Skip(MaxPreviousKeys).Concat(row is null ? [] : Previous(row).Where(p => p.ValidUntil <= now)))
            {
                await store.DiscardAsync(SecretName, dropped.Version, CancellationToken.None);
            }
            snapshot = null;
            return (version, kept.Count == 0 ? null : kept[0].ValidUntil);
        }
    }

    private async Task<Snapshot> CurrentAsync(string? kid, CancellationToken cancellationToken)
    {
        if (Fresh(snapshot, kid) is { } fresh)
        {
            return fresh;
        }
        await loading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(snapshot, kid) is { } loaded)
            {
                return loaded;
            }
            var read = await LoadAsync(cancellationToken);
            snapshot = read;
            return read;
        }
        finally
        {
            loading.Release();
        }
    }

    private Snapshot? Fresh(Snapshot? ring, string? kid)
    {
        if (ring is null)
        {
            return null;
        }
        var age = clock.GetUtcNow() - ring.LoadedAt;
        if (age >= RefreshInterval || age < TimeSpan.Zero)
        {
            return null;
        }
        var unknown = kid is not null && ring.Verifying.All(k => k.Key.KeyId != kid);
        return unknown && age >= UnknownKeyRefresh ? null : ring;
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var table = await tables.NamedAsync(options.Value.KeysTable, cancellationToken);
        var row = await ReadRowAsync(table, cancellationToken);
        if (row?.GetString("Current") is null)
        {
            await CreateFirstAsync(table, cancellationToken);
            row = await ReadRowAsync(table, cancellationToken) ?? throw new InvalidOperationException("The portal signing key's row vanished after it was created.");
        }
        var current = row.GetString("Current")!;
        var signing = await KeyAsync(current, DateTimeOffset.MaxValue, cancellationToken)
            ?? throw new InvalidOperationException($"Version {current} of the portal signing key is missing from the secret store.");
        var verifying = new List<(SymmetricSecurityKey Key, DateTimeOffset ValidUntil)> { signing };
        foreach (var previous in Previous(row).Where(p => p.ValidUntil > clock.GetUtcNow()))
        {
            if (await KeyAsync(previous.Version, previous.ValidUntil, cancellationToken) is { } key)
            {
                verifying.Add(key);
            }
        }
        return new Snapshot(signing.Key, verifying, clock.GetUtcNow());
    }

    private async Task CreateFirstAsync(TableClient table, CancellationToken cancellationToken)
    {
        var version = await store.SetAsync(SecretName, NewKey(), cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(Partition, Row) { ["Current"] = version, ["Previous"] = "[]" }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another process made the first key at the same moment: use its key, drop ours.
            await store.DiscardAsync(SecretName, version, CancellationToken.None);
        }
    }

    private async Task<(SymmetricSecurityKey Key, DateTimeOffset ValidUntil)?> KeyAsync(string version, DateTimeOffset validUntil, CancellationToken cancellationToken) =>
        await store.GetAsync(SecretName, version, cancellationToken) is { } value
            ? (new SymmetricSecurityKey(Convert.FromBase64String(value)) { KeyId = version }, validUntil)
            : null;

    private static async Task<TableEntity?> ReadRowAsync(TableClient table, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    private static List<PreviousKey> Previous(TableEntity row) =>
        row.GetString("Previous") is { Length: > 0 } json ? JsonSerializer.Deserialize<List<PreviousKey>>(json) ?? [] : [];

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public void Dispose() => loading.Dispose();

    private sealed record PreviousKey(string Version, DateTimeOffset ValidUntil);

    private sealed record Snapshot(SymmetricSecurityKey Signing, IReadOnlyList<(SymmetricSecurityKey Key, DateTimeOffset ValidUntil)> Verifying, DateTimeOffset LoadedAt);
}
