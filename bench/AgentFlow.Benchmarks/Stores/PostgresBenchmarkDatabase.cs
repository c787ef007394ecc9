using AgentFlow.Stores.Postgres;
using Npgsql;

namespace AgentFlow.Benchmarks.Stores;

/// <summary>
/// A fresh schema on the server named by <c>AGENTFLOW_BENCH_POSTGRES</c> (or <c>AGENTFLOW_TEST_POSTGRES</c>, which
/// <c>.ci/postgres.sh</c> prints), dropped on dispose.
/// </summary>
internal sealed class PostgresBenchmarkDatabase : IAsyncDisposable
{
    public string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("AGENTFLOW_BENCH_POSTGRES") is { Length: > 0 } bench ? bench
        : Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES") is { Length: > 0 } test ? test
        : throw new InvalidOperationException("Set AGENTFLOW_BENCH_POSTGRES (or eval \"$(.ci/postgres.sh)\") to benchmark the PostgreSQL store.");

    public string Schema { get; } = "bench_" + Guid.NewGuid().ToString("N");

    // 10,000 appenders queue for the pool's 100 connections; with fsync on, a queued append can wait longer than
    // Npgsql's default 15 s, so the benchmark's store waits up to 5 minutes instead.
    public Task<PostgresWorkflowStore> OpenStoreAsync() =>
        PostgresWorkflowStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 300 }.ConnectionString, Schema = Schema },
            CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
