using AgentFlow.Stores.Sqlite;
using BenchmarkDotNet.Attributes;

namespace AgentFlow.Benchmarks.Stores;

/// <summary>
/// Appends per second through <see cref="SqliteWorkflowStore"/>: N concurrent appenders each append a 10-event
/// execution as 10 single-event batches (the runner's worst case). OperationsPerInvoke is the number of appends, so
/// Mean is time per append and 1 / Mean is appends per second. Compare with <see cref="SqliteRawCommitBenchmarks"/>
/// (one INSERT per transaction on the same kind of file) for the group-commit multiplier.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: GlobalCleanup disposes what GlobalSetup created.")]
public class SqliteAppendBenchmarks
{
    private const int EventsPerExecution = AppendWorkload.EventsPerExecution;

    private StoreBenchmarkFile _file = null!;
    private SqliteWorkflowStore _store = null!;
    private AppendWorkload _workload = null!;

    [Params(SqliteSynchronousMode.Normal, SqliteSynchronousMode.Full)]
    public SqliteSynchronousMode Synchronous { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _file = new StoreBenchmarkFile();
        _store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(_file.Path) { Synchronous = Synchronous }, CancellationToken.None);
        _workload = new AppendWorkload(_store);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        _file.Dispose();
    }

    [Benchmark(OperationsPerInvoke = 1 * EventsPerExecution)]
    public Task Appenders1() => _workload.RunAsync(1);

    [Benchmark(OperationsPerInvoke = 100 * EventsPerExecution)]
    public Task Appenders100() => _workload.RunAsync(100);

    [Benchmark(OperationsPerInvoke = 10_000 * EventsPerExecution)]
    public Task Appenders10000() => _workload.RunAsync(10_000);
}
