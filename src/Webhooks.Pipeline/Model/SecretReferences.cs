namespace Webhooks.Model;

/// <summary>
/// Which versions of a webhook's secrets are in force. Versions are not secret; the values they
/// name are only ever read from the secret store.
/// </summary>
public sealed record SecretReferences
{
    public static SecretReferences None { get; } = new();

    /// <summary>The current signing secret version (generic webhooks).</summary>
    public string? SigningVersion { get; init; }

    /// <summary>Signing secret versions replaced by a regeneration, still signed with until they expire.</summary>
    public IReadOnlyList<RetiredSecret> RetiredSigningVersions { get; init; } = [];

    /// <summary>The version of the secret holding the endpoint URL (chat webhooks).</summary>
    public string? UrlVersion { get; init; }

    /// <summary>The signing versions still valid at <paramref name="now"/>, current first.</summary>
    public IEnumerable<string> SigningVersionsValidAt(DateTimeOffset now)
    {
        if (SigningVersion is not null)
        {
            yield return SigningVersion;
        }
        foreach (var retired in RetiredSigningVersions.Where(r => r.ExpiresAt > now).OrderByDescending(r => r.ExpiresAt))
        {
            yield return retired.Version;
        }
    }
}

/// <summary>A replaced signing secret version and the moment it stops being used.</summary>
public sealed record RetiredSecret(string Version, DateTimeOffset ExpiresAt);
