using System.Diagnostics;
using AgentFlow.Core.Persistence;
using AgentFlow.Stores.InMemory;
using AgentFlow.Stores.Postgres;
using AgentFlow.Stores.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentFlow.Macro;

/// <summary>
/// One database a scenario runs against: a fresh SQLite file (in a temp directory) or a fresh PostgreSQL schema,
/// removed on dispose; or the in-memory store. It can be opened more than once (restart scenarios).
/// </summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private readonly string? _directory;
    private InMemoryWorkflowStore? _memory;

    public BenchStore(string kind)
    {
        Kind = kind;
        switch (kind)
        {
            case "memory":
                break;
            case "sqlite-normal" or "sqlite-full":
                _directory = Path.Combine(Path.GetTempPath(), "agentflow-macro", Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(_directory);
                FilePath = Path.Combine(_directory, "bench.db");
                break;
            case "postgres":
                var server = Environment.GetEnvironmentVariable("AGENTFLOW_BENCH_POSTGRES") is { Length: > 0 } bench ? bench
                    : Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES") is { Length: > 0 } test ? test
                    : throw new InvalidOperationException("postgres: set AGENTFLOW_TEST_POSTGRES (eval \"$(.ci/postgres.sh)\").");

                // 10,000 concurrent executions queue for the pool's connections longer than Npgsql's default 15 s.
                ConnectionString = new NpgsqlConnectionStringBuilder(server) { Timeout = 300 }.ConnectionString;
                Schema = "macro_" + Guid.NewGuid().ToString("N");
                break;
            default:
                throw new ArgumentException($"unknown store '{kind}' (memory, sqlite-normal, sqlite-full, postgres)", nameof(kind));
        }
    }

    public static bool PostgresConfigured =>
        Environment.GetEnvironmentVariable("AGENTFLOW_BENCH_POSTGRES") is { Length: > 0 }
        || Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES") is { Length: > 0 };

    public string Kind { get; }

    public string? FilePath { get; }

    private string? ConnectionString { get; }

    private string? Schema { get; }

    private SqliteSynchronousMode Synchronous => Kind == "sqlite-full" ? SqliteSynchronousMode.Full : SqliteSynchronousMode.Normal;

    /// <summary>Opens the store (the same in-memory instance each time; it is never disposed by the caller's await using).</summary>
    public async Task<IWorkflowStore> OpenAsync(CancellationToken cancellationToken)
    {
        switch (Kind)
        {
            case "memory":
                return _memory ??= new InMemoryWorkflowStore();
            case "postgres":
                return await PostgresWorkflowStore.OpenAsync(new PostgresStoreOptions { ConnectionString = ConnectionString!, Schema = Schema! }, cancellationToken);
            default:
                return await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(FilePath!) { Synchronous = Synchronous }, cancellationToken);
        }
    }

    /// <summary>Closes a store <see cref="OpenAsync"/> returned (the in-memory one lives until this object is disposed).</summary>
    public ValueTask CloseAsync(IWorkflowStore store) => Kind == "memory" ? ValueTask.CompletedTask : store.DisposeAsync();

    /// <summary>
    /// The database's raw commit rate: one INSERT per transaction into a scratch table, one connection, for about
    /// <paramref name="duration"/>. SQLite: WAL and the store's synchronous level; PostgreSQL: autocommit, prepared.
    /// </summary>
    public async Task<double> RawCommitsPerSecondAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        if (Kind == "postgres")
        {
            return await PostgresRawAsync(duration, cancellationToken);
        }

        if (FilePath is null)
        {
            return double.NaN;
        }

        // The store creates (and owns) the file; the scratch table sits beside its tables.
        await (await OpenAsync(cancellationToken)).DisposeAsync();

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        Execute(connection, "CREATE TABLE IF NOT EXISTS bench_scratch (id INTEGER PRIMARY KEY, data TEXT NOT NULL)");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO bench_scratch (data) VALUES ($data)";
        insert.Parameters.AddWithValue("$data", ScratchRow);
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        using var commit = connection.CreateCommand();
        commit.CommandText = "COMMIT";
        var commits = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            begin.ExecuteNonQuery();
            insert.ExecuteNonQuery();
            commit.ExecuteNonQuery();
            commits++;
        }

        return commits / clock.Elapsed.TotalSeconds;
    }

    private async Task<double> PostgresRawAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        // The store creates the schema; the scratch table sits beside its tables.
        await (await OpenAsync(cancellationToken)).DisposeAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var create = new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS \"{Schema}\".bench_scratch (id bigserial PRIMARY KEY, data text NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand($"INSERT INTO \"{Schema}\".bench_scratch (data) VALUES ($1)", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = ScratchRow });
        await insert.PrepareAsync(cancellationToken);
        var commits = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
            commits++;
        }

        return commits / clock.Elapsed.TotalSeconds;
    }

    private const string ScratchRow = """{"type":"nodeSucceeded","executionId":"0123456789abcdef0123456789abcdef","sequence":3,"nodeId":"n1","attempt":1,"output":null}""";

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        if (_memory is not null)
        {
            await _memory.DisposeAsync();
        }

        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }

        if (Schema is not null)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
