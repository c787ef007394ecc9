using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Benchmarks.Stores;

/// <summary>
/// The append benchmarks' workload, the same for every store: N concurrent appenders each append a 10-event
/// execution as 10 single-event batches (the runner's worst case).
/// </summary>
internal sealed class AppendWorkload(IEventStore store)
{
    public const int EventsPerExecution = 10;

    private int _round;

    public Task RunAsync(int appenders)
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
        await store.AppendAsync(executionId, 0, [new ExecutionStarted(executionId, 1, at, "bench", 1, Value.EmptyObject)], CancellationToken.None);
        for (long sequence = 2; sequence <= EventsPerExecution; sequence++)
        {
            await store.AppendAsync(executionId, sequence - 1, [new NodeSucceeded(executionId, sequence, at, "n" + sequence, 1, Value.From(sequence))], CancellationToken.None);
        }
    }
}
