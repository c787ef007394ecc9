using System.Globalization;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;

namespace AgentFlow.Cli.Commands;

/// <summary>What each <c>keys</c> subcommand does; every failure is one line on stderr and exit code 2.</summary>
internal static class KeysActions
{
    public static Task<int> CreateAsync(StoreChoice choice, string tenant, string scopeList, string? name, string? expires, CliConsole console, CancellationToken cancellationToken) =>
        WithKeysAsync(choice, console, async keys =>
        {
            DateTimeOffset? expiresAt = null;
            if (expires is not null)
            {
                if (ParseExpiry(expires, TimeProvider.System.GetUtcNow()) is not { } parsed)
                {
                    await console.Error.WriteLineAsync($"error: --expires '{expires}' is not a lifetime (such as 30d, 12h, 90m) or an ISO 8601 time (such as 2027-01-31T00:00:00Z).");
                    return ExitCodes.InvalidInput;
                }

                expiresAt = parsed;
            }

            var scopes = scopeList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            CreatedApiKey created;
            try
            {
                created = await keys.CreateApiKeyAsync(new ApiKeyRequest(tenant, scopes, name, expiresAt), cancellationToken);
            }
            catch (ArgumentException exception)
            {
                // The store's message names the bad value and the allowed ones; drop the parameter suffix .NET appends.
                await console.Error.WriteLineAsync($"error: {exception.Message.Replace($" (Parameter '{exception.ParamName}')", string.Empty, StringComparison.Ordinal)}");
                return ExitCodes.InvalidInput;
            }

            await console.Out.WriteLineAsync(created.Secret);
            var until = created.Key.ExpiresAt is { } at ? $", expires {at:O}" : string.Empty;
            await console.Error.WriteLineAsync($"created key {created.Key.Prefix} for tenant '{tenant}' (scopes {string.Join(',', created.Key.Scopes)}{until}); it is shown only now: store it safely.");
            return ExitCodes.Success;
        }, cancellationToken);

    public static Task<int> ListAsync(StoreChoice choice, string? tenant, CliConsole console, CancellationToken cancellationToken) =>
        WithKeysAsync(choice, console, async keys =>
        {
            foreach (var key in await keys.ListApiKeysAsync(tenant, cancellationToken))
            {
                var line = Value.Object(
                    ("prefix", key.Prefix),
                    ("tenant", key.TenantId),
                    ("name", key.Name),
                    ("scopes", Value.Array([.. key.Scopes.Select(s => Value.From(s))])),
                    ("createdAt", Timestamp(key.CreatedAt)),
                    ("expiresAt", Timestamp(key.ExpiresAt)),
                    ("lastUsedAt", Timestamp(key.LastUsedAt)),
                    ("revokedAt", Timestamp(key.RevokedAt)));
                await console.Out.WriteLineAsync(line.ToJson());
            }

            return ExitCodes.Success;
        }, cancellationToken);

    public static Task<int> RevokeAsync(StoreChoice choice, string prefix, CliConsole console, CancellationToken cancellationToken) =>
        WithKeysAsync(choice, console, async keys =>
        {
            if (await keys.RevokeApiKeyAsync(prefix, cancellationToken))
            {
                await console.Error.WriteLineAsync($"revoked key {prefix}; the server refuses it from now on.");
                return ExitCodes.Success;
            }

            var known = (await keys.ListApiKeysAsync(null, cancellationToken)).FirstOrDefault(k => k.Prefix == prefix);
            await console.Error.WriteLineAsync(known is null
                ? $"error: no key with prefix '{prefix}' in this database ('agentflow keys list' shows the prefixes)."
                : $"error: key {prefix} was already revoked at {known.RevokedAt:O}.");
            return ExitCodes.InvalidInput;
        }, cancellationToken);

    /// <summary>A lifetime (<c>30d</c>) from <paramref name="now"/>, or an absolute ISO 8601 time; null when neither.</summary>
    internal static DateTimeOffset? ParseExpiry(string text, DateTimeOffset now)
    {
        if (Duration.TryFromValue(Value.From(text), out var lifetime))
        {
            return lifetime > TimeSpan.Zero ? now + lifetime : null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    private static async Task<int> WithKeysAsync(StoreChoice choice, CliConsole console, Func<IApiKeyStore, Task<int>> action, CancellationToken cancellationToken)
    {
        var store = choice.Postgres is { } connectionString
            ? await StoreOpener.OpenPostgresAsync(connectionString, choice.Schema, console, cancellationToken)
            : await StoreOpener.OpenSqliteAsync(choice.Db, choice.MustExist, console, cancellationToken);
        if (store is null)
        {
            return ExitCodes.InvalidInput;
        }

        try
        {
            await using (store)
            {
                // Every built-in store keeps keys beside the workflow data (see IApiKeyStore's remarks).
                return await action((IApiKeyStore)store);
            }
        }
        catch (StoreException exception)
        {
            await StoreOpener.ReportAsync(exception, console);
            return ExitCodes.InvalidInput;
        }
    }

    private static Value Timestamp(DateTimeOffset? at) =>
        at is { } value ? value.ToString("O", CultureInfo.InvariantCulture) : Value.Null;

    /// <summary>Where the keys live: a SQLite file, or a PostgreSQL server when given.</summary>
    internal sealed record StoreChoice(string Db, string? Postgres, string Schema, bool MustExist);
}
