using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Webhooks.Secrets;

/// <summary>
/// Keeps resolved versions in memory for a short while so delivery traffic does not reach Key
/// Vault's request limits. Safe because a version's value never changes.
/// </summary>
public sealed class CachingSecretStore(ISecretStore inner, IMemoryCache cache, IOptions<SecretsOptions> options) : ISecretStore
{
    public Task<string> SetAsync(string name, string value, CancellationToken cancellationToken) =>
        inner.SetAsync(name, value, cancellationToken);

    public async Task<string?> GetAsync(string name, string version, CancellationToken cancellationToken)
    {
        var key = Key(name, version);
        if (cache.TryGetValue(key, out string? cached))
        {
            return cached;
        }
        var value = await inner.GetAsync(name, version, cancellationToken);
        if (value is not null)
        {
            cache.Set(key, value, options.Value.CacheDuration);
        }
        return value;
    }

    public async Task DiscardAsync(string name, string version, CancellationToken cancellationToken)
    {
        // A discarded version is often a revoked one: this process stops serving it at once.
        cache.Remove(Key(name, version));
        await inner.DiscardAsync(name, version, cancellationToken);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        inner.DeleteAsync(name, cancellationToken);

    private static (Type, string, string) Key(string name, string version) => (typeof(CachingSecretStore), name, version);
}
