namespace AgentFlow.Core.Persistence;

/// <summary>A stored API key, without its secret.</summary>
/// <param name="Prefix">The non-secret part of the key text (<c>af_&lt;prefix&gt;_…</c>) that names it in lists and logs.</param>
/// <param name="Scopes">What the key may do (see <see cref="ApiKeyScopes"/>), in a fixed order.</param>
/// <param name="ExpiresAt">When the key stops working; null for never.</param>
/// <param name="LastUsedAt">When the server last accepted it; null when never used.</param>
/// <param name="RevokedAt">When it was revoked; null while not revoked.</param>
public sealed record ApiKey(
    string Prefix,
    string TenantId,
    string? Name,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the key has expired at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    /// <summary>Whether the key carries <paramref name="scope"/>; <see cref="ApiKeyScopes.Admin"/> implies every scope.</summary>
    public bool HasScope(string scope) =>
        Scopes.Contains(scope, StringComparer.Ordinal) || Scopes.Contains(ApiKeyScopes.Admin, StringComparer.Ordinal);
}
