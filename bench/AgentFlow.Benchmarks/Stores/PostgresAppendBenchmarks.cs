using AgentFlow.Core.Events;
using AgentFlow.Core.Values;
using AgentFlow.Stores.Postgres;
using BenchmarkDotNet.Attributes;

namespace AgentFlow.Benchmarks.Stores;

/// <summary>
/// Appends per second through <see cref="PostgresWorkflowStore"/>, shaped like <see cref="SqliteAppendBenchmarks"/>:
/// N concurrent appenders each append a 10-event execution as 10 single-event batches. Mean is time per append, so
/// 1 / Mean is appends per second. Compare with <see cref="PostgresRawCommitBenchmarks"/> on the same server. The
/// store's pool has Npgsql's default 100 connections, so 10,000 appenders queue for them.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: GlobalCleanup disposes what GlobalSetup created.")]
public class PostgresAppendBenchmarks
{
    private const int EventsPerExecution = 10;

    private PostgresBenchmarkDatabase _database = null!;
    private PostgresWorkflowStore _store = null!;
    private int _round;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = new PostgresBenchmarkDatabase();
        _store = await _database.OpenStoreAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = 1 * EventsPerExecution)]
    public Task Appenders1() => AppendAsync(1);

    [Benchmark(OperationsPerInvoke = 100 * EventsPerExecution)]
    public Task Appenders100() => AppendAsync(100);

    [Benchmark(OperationsPerInvoke = 10_000 * EventsPerExecution)]
    public Task Appenders10000() => AppendAsync(10_000);

    private Task AppendAsync(int appenders)
    {
        var round = ++_round;
        var tasks = new Task[appenders];
        for (var i = 0; i < appenders; i++)
        {
            tasks[i] = AppendExecutionAsync($"r{round}-{i}");
        }

        return Task.WhenAll(tasks);
    }

    private async Task AppendExecutionAsync(string executionId)
    {
        var at = DateTimeOffset.UnixEpoch;
        await _store.AppendAsync(executionId, 0, [new ExecutionStarted(executionId, 1, at, "bench", 1, Value.EmptyObject)], CancellationToken.None);
        for (long sequence = 2; sequence <= EventsPerExecution; sequence++)
        {
            await _store.AppendAsync(executionId, sequence - 1, [new NodeSucceeded(executionId, sequence, at, "n" + sequence, 1, Value.From(sequence))], CancellationToken.None);
        }
    }
}
