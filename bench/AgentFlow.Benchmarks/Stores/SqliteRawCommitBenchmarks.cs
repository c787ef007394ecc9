using AgentFlow.Core.Events;
using AgentFlow.Core.Values;
using AgentFlow.Stores.Sqlite;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Benchmarks.Stores;

/// <summary>
/// The baseline for <see cref="SqliteAppendBenchmarks"/>: the same database file (schema, WAL, synchronous level),
/// one event INSERT per transaction, no batching. Mean is time per commit; 1 / Mean is the raw commit rate.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: GlobalCleanup disposes what GlobalSetup created.")]
public class SqliteRawCommitBenchmarks
{
    private const int Commits = 200;

    private StoreBenchmarkFile _file = null!;
    private SqliteConnection _connection = null!;
    private SqliteCommand _insert = null!;
    private string _data = null!;
    private long _sequence;

    [Params(SqliteSynchronousMode.Normal, SqliteSynchronousMode.Full)]
    public SqliteSynchronousMode Synchronous { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _file = new StoreBenchmarkFile();

        // Let the store create and migrate the file so the table and indexes are exactly the store's.
        await (await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(_file.Path), CancellationToken.None)).DisposeAsync();
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _file.Path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL");
        Execute(Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        _data = EventSerializer.Serialize(new NodeSucceeded("raw", 1, DateTimeOffset.UnixEpoch, "n", 1, Value.From(1L)));
        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO events (execution_id, sequence, timestamp, data) VALUES ('raw', $seq, 0, $data)";
        _insert.Parameters.Add("$seq", SqliteType.Integer);
        _insert.Parameters.AddWithValue("$data", _data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _connection.Dispose();
        _file.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Commits)]
    public void OneInsertPerTransaction()
    {
        for (var i = 0; i < Commits; i++)
        {
            Execute("BEGIN IMMEDIATE");
            _insert.Parameters[0].Value = ++_sequence;
            _insert.ExecuteNonQuery();
            Execute("COMMIT");
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
