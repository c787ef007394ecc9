using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Sqlite;

public sealed partial class SqliteWorkflowStore : IApiKeyStore
{
    private const string ApiKeyColumns = "prefix, tenant_id, name, scopes, created_at, expires_at, last_used_at, revoked_at, secret_hash";

    /// <inheritdoc />
    public ValueTask<CreatedApiKey> CreateApiKeyAsync(ApiKeyRequest request, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var scopes = ApiKeyMaterial.Validate(request, now);
        return new(_writer.EnqueueAsync(
            c =>
            {
                // A prefix collision (48 random bits) inserts nothing and draws again.
                while (true)
                {
                    var prefix = ApiKeyMaterial.NewPrefix();
                    var secret = ApiKeyMaterial.NewKey(prefix);
                    var inserted = c.Execute(
                        "INSERT INTO api_keys (prefix, tenant_id, name, scopes, secret_hash, created_at, expires_at) VALUES ($p, $t, $n, $s, $h, $c, $e) ON CONFLICT (prefix) DO NOTHING",
                        ("$p", prefix),
                        ("$t", request.TenantId),
                        ("$n", request.Name),
                        ("$s", ApiKeyMaterial.JoinScopes(scopes)),
                        ("$h", ApiKeyMaterial.Hash(secret)),
                        ("$c", now.UtcTicks),
                        ("$e", request.ExpiresAt?.UtcTicks));
                    if (inserted == 1)
                    {
                        return new CreatedApiKey(new ApiKey(prefix, request.TenantId, request.Name, scopes, SqliteCommands.Time(now.UtcTicks), request.ExpiresAt?.ToUniversalTime(), null, null), secret);
                    }
                }
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<ApiKey?> FindApiKeyAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (ApiKeyMaterial.PrefixOf(presentedKey) is not { } prefix)
        {
            return new((ApiKey?)null);
        }

        return new(Read(c => LoadApiKeys(c, $"SELECT {ApiKeyColumns} FROM api_keys WHERE prefix = $p", ("$p", prefix)) is [var found]
            && ApiKeyMaterial.Matches(presentedKey, found.Hash) ? found.Key : null));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantId, CancellationToken cancellationToken) =>
        new(Read<IReadOnlyList<ApiKey>>(c => tenantId is null
            ? [.. LoadApiKeys(c, $"SELECT {ApiKeyColumns} FROM api_keys ORDER BY created_at, prefix").Select(k => k.Key)]
            : [.. LoadApiKeys(c, $"SELECT {ApiKeyColumns} FROM api_keys WHERE tenant_id = $t ORDER BY created_at, prefix", ("$t", tenantId)).Select(k => k.Key)]));

    /// <inheritdoc />
    public ValueTask<bool> RevokeApiKeyAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return new(_writer.EnqueueAsync(
            c => c.Execute("UPDATE api_keys SET revoked_at = $at WHERE prefix = $p AND revoked_at IS NULL", ("$at", _time.GetUtcNow().UtcTicks), ("$p", prefix)) == 1,
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordApiKeyUseAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return new(_writer.EnqueueAsync(
            c => c.Execute("UPDATE api_keys SET last_used_at = $at WHERE prefix = $p", ("$at", _time.GetUtcNow().UtcTicks), ("$p", prefix)) == 1,
            cancellationToken));
    }

    private static List<(ApiKey Key, string Hash)> LoadApiKeys(SqliteSession c, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = c.Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var keys = new List<(ApiKey, string)>();
        while (reader.Read())
        {
            keys.Add((
                new ApiKey(
                    reader.GetString(0),
                    reader.GetString(1),
                    SqliteCommands.String(reader, 2),
                    ApiKeyMaterial.SplitScopes(reader.GetString(3)),
                    SqliteCommands.Time(reader.GetInt64(4)),
                    SqliteCommands.Time(reader, 5),
                    SqliteCommands.Time(reader, 6),
                    SqliteCommands.Time(reader, 7)),
                reader.GetString(8)));
        }

        return keys;
    }
}
