using AgentFlow.Core.Events;
using AgentFlow.Core.Values;
using BenchmarkDotNet.Attributes;
using Npgsql;

namespace AgentFlow.Benchmarks.Stores;

/// <summary>
/// The baseline for <see cref="PostgresAppendBenchmarks"/>: the same server and the store's own events table, one
/// INSERT per transaction (autocommit) on one connection. Mean is time per commit; 1 / Mean is the raw commit rate.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: GlobalCleanup disposes what GlobalSetup created.")]
public class PostgresRawCommitBenchmarks
{
    private const int Commits = 200;

    private PostgresBenchmarkDatabase _database = null!;
    private NpgsqlConnection _connection = null!;
    private NpgsqlCommand _insert = null!;
    private long _sequence;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = new PostgresBenchmarkDatabase();

        // Let the store create the schema so the table and its key are exactly the store's.
        await (await _database.OpenStoreAsync()).DisposeAsync();
        _connection = new NpgsqlConnection(_database.ConnectionString);
        await _connection.OpenAsync();
        _insert = new NpgsqlCommand($"INSERT INTO \"{_database.Schema}\".events (execution_id, sequence, payload) VALUES ('raw', $1, $2)", _connection);
        _insert.Parameters.Add(new NpgsqlParameter { Value = 0L });
        _insert.Parameters.Add(new NpgsqlParameter { Value = EventSerializer.Serialize(new NodeSucceeded("raw", 1, DateTimeOffset.UnixEpoch, "n", 1, Value.From(1L))) });
        await _insert.PrepareAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _insert.DisposeAsync();
        await _connection.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = Commits)]
    public async Task OneInsertPerTransaction()
    {
        for (var i = 0; i < Commits; i++)
        {
            _insert.Parameters[0].Value = ++_sequence;
            await _insert.ExecuteNonQueryAsync();
        }
    }
}
