using AgentFlow.Core.Persistence;
using AgentFlow.Stores.Postgres;
using Npgsql;

namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>
/// The PostgreSQL server the tests use, from <c>AGENTFLOW_TEST_POSTGRES</c>. Unset: the tests are skipped on a
/// developer machine but fail under CI (<c>CI=true</c>), which must really run them.
/// </summary>
internal static class PostgresTestServer
{
    public const string Variable = "AGENTFLOW_TEST_POSTGRES";

    /// <summary>Why the PostgreSQL tests are skipped here; null when they run.</summary>
    public static string? SkipReason =>
        ConnectionString is null && !IsCi
            ? $"{Variable} is not set; run eval \"$(.ci/postgres.sh)\" to start a local server (see docs/stores.md)"
            : null;

    /// <summary>The server's connection string.</summary>
    /// <exception cref="InvalidOperationException">Running under CI without a server.</exception>
    public static string RequiredConnectionString =>
        ConnectionString ?? throw new InvalidOperationException($"CI=true but {Variable} is not set: CI must run the PostgreSQL tests; eval \"$(.ci/postgres.sh)\" before dotnet test.");

    private static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A schema name no other test uses, so tests sharing the server do not see each other's rows.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N");

    public static Task<PostgresWorkflowStore> OpenAsync(string schema, TimeProvider time) =>
        PostgresWorkflowStore.OpenAsync(new PostgresStoreOptions { ConnectionString = RequiredConnectionString, Schema = schema, TimeProvider = time }, CancellationToken.None);

    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(RequiredConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(RequiredConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static Task DropSchemaAsync(string schema) => ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");

    /// <summary>Whether a store of this build opened on <paramref name="schema"/> finds it up to date.</summary>
    public static Task<int> SchemaVersionAsync(string schema) =>
        ScalarAsync<int>($"SELECT coalesce(max(version), 0) FROM \"{schema}\".schema_migrations");

    /// <summary>For contract-test stores: the schema is dropped after the store is disposed.</summary>
    public static async Task DisposeAndDropAsync(IWorkflowStore store, string schema)
    {
        await store.DisposeAsync();
        await DropSchemaAsync(schema);
    }
}
