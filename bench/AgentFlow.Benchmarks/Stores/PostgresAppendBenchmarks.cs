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
    private const int EventsPerExecution = AppendWorkload.EventsPerExecution;

    private PostgresBenchmarkDatabase _database = null!;
    private PostgresWorkflowStore _store = null!;
    private AppendWorkload _workload = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = new PostgresBenchmarkDatabase();
        _store = await _database.OpenStoreAsync();
        _workload = new AppendWorkload(_store);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = 1 * EventsPerExecution)]
    public Task Appenders1() => _workload.RunAsync(1);

    [Benchmark(OperationsPerInvoke = 100 * EventsPerExecution)]
    public Task Appenders100() => _workload.RunAsync(100);

    [Benchmark(OperationsPerInvoke = 10_000 * EventsPerExecution)]
    public Task Appenders10000() => _workload.RunAsync(10_000);
}
