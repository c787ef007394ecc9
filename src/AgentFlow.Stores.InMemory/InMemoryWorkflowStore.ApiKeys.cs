using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.InMemory;

public sealed partial class InMemoryWorkflowStore : IApiKeyStore
{
    private readonly Dictionary<string, (ApiKey Key, string Hash)> _apiKeys = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<CreatedApiKey> CreateApiKeyAsync(ApiKeyRequest request, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var scopes = ApiKeyMaterial.Validate(request, now);
        lock (_gate)
        {
            string prefix;
            do
            {
                prefix = ApiKeyMaterial.NewPrefix();
            }
            while (_apiKeys.ContainsKey(prefix));

            var secret = ApiKeyMaterial.NewKey(prefix);
            var key = new ApiKey(prefix, request.TenantId, request.Name, scopes, now, request.ExpiresAt?.ToUniversalTime(), null, null);
            _apiKeys.Add(prefix, (key, ApiKeyMaterial.Hash(secret)));
            return new(new CreatedApiKey(key, secret));
        }
    }

    /// <inheritdoc />
    public ValueTask<ApiKey?> FindApiKeyAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (ApiKeyMaterial.PrefixOf(presentedKey) is not { } prefix)
        {
            return new((ApiKey?)null);
        }

        lock (_gate)
        {
            return new(_apiKeys.TryGetValue(prefix, out var entry) && ApiKeyMaterial.Matches(presentedKey, entry.Hash) ? entry.Key : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_apiKeys.Values
                .Select(e => e.Key)
                .Where(k => tenantId is null || k.TenantId == tenantId)
                .OrderBy(k => k.CreatedAt)
                .ThenBy(k => k.Prefix, StringComparer.Ordinal)
                .ToList());
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RevokeApiKeyAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate)
        {
            if (!_apiKeys.TryGetValue(prefix, out var entry) || entry.Key.RevokedAt is not null)
            {
                return new(false);
            }

            _apiKeys[prefix] = (entry.Key with { RevokedAt = _time.GetUtcNow() }, entry.Hash);
            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordApiKeyUseAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate)
        {
            if (!_apiKeys.TryGetValue(prefix, out var entry))
            {
                return new(false);
            }

            _apiKeys[prefix] = (entry.Key with { LastUsedAt = _time.GetUtcNow() }, entry.Hash);
            return new(true);
        }
    }
}
