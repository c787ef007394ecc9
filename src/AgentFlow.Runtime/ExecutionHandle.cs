using System.Runtime.CompilerServices;
using AgentFlow.Core.Events;
using AgentFlow.Runtime.Execution;

namespace AgentFlow.Runtime;

/// <summary>A running (or finished) execution started by a <see cref="WorkflowRuntime"/>.</summary>
public sealed class ExecutionHandle
{
    private readonly ExecutionRunner _runner;

    internal ExecutionHandle(ExecutionRunner runner) => _runner = runner;

    /// <summary>The execution's id.</summary>
    public string ExecutionId => _runner.ExecutionId;

    /// <summary>
    /// Completes when the execution ends, whatever the outcome (it never faults for a workflow failure), or when it
    /// stops here paused (status <see cref="Core.Execution.ExecutionStatus.Paused"/>; it continues after a resume).
    /// </summary>
    public Task<ExecutionResult> Completion => _runner.Completion;

    /// <summary>Every event of the log from the start, then live ones, until the execution ends.</summary>
    public async IAsyncEnumerable<ExecutionEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var update in WatchUpdatesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (update is EventUpdate e)
            {
                yield return e.Event;
            }
        }
    }

    /// <summary>Like <see cref="WatchAsync"/>, plus transient node progress.</summary>
    public IAsyncEnumerable<ExecutionUpdate> WatchUpdatesAsync(CancellationToken cancellationToken) => _runner.Broadcaster.SubscribeAsync(cancellationToken);

    /// <summary>Requests cancellation; <see cref="Completion"/> reports the end.</summary>
    public ValueTask CancelAsync(CancellationToken cancellationToken)
    {
        _runner.RequestCancel();
        return ValueTask.CompletedTask;
    }
}
