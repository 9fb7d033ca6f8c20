namespace Webhooks.Secrets;

/// <summary>
/// Versioned secret storage. Every write makes a new immutable version, so a (name, version) pair
/// always reads the same value and can be cached.
/// </summary>
public interface ISecretStore
{
    /// <summary>Stores a new version of <paramref name="name"/> and returns its version id.</summary>
    Task<string> SetAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Reads one version, or null when the secret or version does not exist.</summary>
    Task<string?> GetAsync(string name, string version, CancellationToken cancellationToken);

    /// <summary>
    /// Makes one version unreadable for good (a secret a failed call stored, or a predecessor that no
    /// longer signs); the other versions are untouched. Discarding a missing version is not an error.
    /// </summary>
    Task DiscardAsync(string name, string version, CancellationToken cancellationToken);

    /// <summary>Deletes the secret with all its versions; deleting a missing secret is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}
