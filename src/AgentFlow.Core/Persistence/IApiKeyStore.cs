namespace AgentFlow.Core.Persistence;

/// <summary>
/// API keys: who may call the server, for which tenant, with which scopes. Only a SHA-256 hash of each key and a short
/// non-secret prefix are stored; the key itself is returned once, by <see cref="CreateApiKeyAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// Kept beside <see cref="IWorkflowStore"/> rather than inside it: the runtime never needs keys, and decorators of the
/// workflow store (tests, wrappers) need not implement them. Every built-in store implements both, on the same
/// database, so one <c>--db</c> or <c>--postgres</c> option serves executions and keys.
/// </para>
/// <para>
/// Guarantees: a created key is findable at once by its full text; finding compares hashes in constant time and
/// returns revoked and expired keys too (with their state) so callers can say why a key is refused; revoking
/// succeeds once; bad input throws <see cref="ArgumentException"/> and stores nothing.
/// </para>
/// </remarks>
public interface IApiKeyStore
{
    /// <summary>Creates a key and returns it with its one-time secret text.</summary>
    /// <exception cref="ArgumentException">The tenant, a scope, the name or the expiry is invalid (see <see cref="ApiKeyRequest"/>).</exception>
    ValueTask<CreatedApiKey> CreateApiKeyAsync(ApiKeyRequest request, CancellationToken cancellationToken);

    /// <summary>The key whose full text is <paramref name="presentedKey"/>, revoked or expired ones included.</summary>
    /// <returns>Null when the text is not a key's (malformed, unknown prefix or wrong secret).</returns>
    ValueTask<ApiKey?> FindApiKeyAsync(string presentedKey, CancellationToken cancellationToken);

    /// <summary>The keys of one tenant, or of every tenant when <paramref name="tenantId"/> is null, oldest first.</summary>
    ValueTask<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantId, CancellationToken cancellationToken);

    /// <summary>Revokes a key by its prefix.</summary>
    /// <returns>True when this call revoked it; false when the prefix is unknown or the key was already revoked.</returns>
    ValueTask<bool> RevokeApiKeyAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Records that the key was just used (its <see cref="ApiKey.LastUsedAt"/> becomes the store's now).</summary>
    /// <returns>False when the prefix is unknown.</returns>
    ValueTask<bool> RecordApiKeyUseAsync(string prefix, CancellationToken cancellationToken);
}
