using AgentFlow.Core.Persistence;
using Npgsql;

namespace AgentFlow.Stores.Postgres;

public sealed partial class PostgresWorkflowStore : IApiKeyStore
{
    private PostgresApiKeySql? _apiKeySql;

    // Built on first use (a benign race builds equal copies) so the key statements stay out of the shared constructor.
    private PostgresApiKeySql ApiKeySql => _apiKeySql ??= new PostgresApiKeySql(Schema);

    /// <inheritdoc />
    public ValueTask<CreatedApiKey> CreateApiKeyAsync(ApiKeyRequest request, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var scopes = ApiKeyMaterial.Validate(request, now);
        return new(RunAsync("create an API key", async connection =>
        {
            // A prefix collision (48 random bits) inserts nothing and draws again.
            while (true)
            {
                var prefix = ApiKeyMaterial.NewPrefix();
                var secret = ApiKeyMaterial.NewKey(prefix);
                await using var insert = Command(connection, ApiKeySql.Insert, prefix, request.TenantId, request.Name, ApiKeyMaterial.JoinScopes(scopes), ApiKeyMaterial.Hash(secret), now.UtcTicks, request.ExpiresAt?.UtcTicks);
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return new CreatedApiKey(new ApiKey(prefix, request.TenantId, request.Name, scopes, PostgresRows.Time(now.UtcTicks), request.ExpiresAt?.ToUniversalTime(), null, null), secret);
                }
            }
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<ApiKey?> FindApiKeyAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (ApiKeyMaterial.PrefixOf(presentedKey) is not { } prefix)
        {
            return new((ApiKey?)null);
        }

        return new(RunAsync("find an API key", async connection =>
            await LoadApiKeysAsync(connection, ApiKeySql.Find, [prefix], cancellationToken).ConfigureAwait(false) is [var found]
            && ApiKeyMaterial.Matches(presentedKey, found.Hash) ? found.Key : null, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantId, CancellationToken cancellationToken) =>
        new(RunAsync<IReadOnlyList<ApiKey>>("list API keys", async connection =>
        {
            var rows = tenantId is null
                ? await LoadApiKeysAsync(connection, ApiKeySql.ListAll, [], cancellationToken).ConfigureAwait(false)
                : await LoadApiKeysAsync(connection, ApiKeySql.ListTenant, [tenantId], cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => r.Key)];
        }, cancellationToken));

    /// <inheritdoc />
    public ValueTask<bool> RevokeApiKeyAsync(string prefix, CancellationToken cancellationToken) =>
        UpdateApiKeyAsync("revoke an API key", ApiKeySql.Revoke, prefix, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RecordApiKeyUseAsync(string prefix, CancellationToken cancellationToken) =>
        UpdateApiKeyAsync("record an API key's use", ApiKeySql.RecordUse, prefix, cancellationToken);

    private ValueTask<bool> UpdateApiKeyAsync(string operation, string sql, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var now = _time.GetUtcNow().UtcTicks;
        return new(RunAsync(operation, async connection =>
        {
            await using var command = Command(connection, sql, prefix, now);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken));
    }

    private static async Task<List<(ApiKey Key, string Hash)>> LoadApiKeysAsync(NpgsqlConnection connection, string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<(ApiKey, string)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add((
                new ApiKey(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    ApiKeyMaterial.SplitScopes(reader.GetString(3)),
                    PostgresRows.Time(reader.GetInt64(4)),
                    reader.IsDBNull(5) ? null : PostgresRows.Time(reader.GetInt64(5)),
                    reader.IsDBNull(6) ? null : PostgresRows.Time(reader.GetInt64(6)),
                    reader.IsDBNull(7) ? null : PostgresRows.Time(reader.GetInt64(7))),
                reader.GetString(8)));
        }

        return keys;
    }
}
