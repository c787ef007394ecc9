using AgentFlow.Core.Execution;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// A spare runner for map items: an item that ended inline hands its runner over once the map has read its result, and
/// the next item runs on it (reset) instead of on a new runner, state, decider and buffers. A parent execution keeps
/// one for its sequential maps (see <see cref="ExecutionRunner.RentItemRunners"/>), so a chain of maps shares it too.
/// </summary>
/// <remarks>Used by one map run at a time, from the loop that runs its items one after the other: no locking.</remarks>
internal sealed class ItemRunnerSlot
{
    private ExecutionRunner? _spare;
    private ExecutionRunner? _last;

    /// <summary>The compiled body the map's items run (looked up for the first item, then kept).</summary>
    public CompiledGraph? Graph { get; set; }

    /// <summary>A runner for a new item of <paramref name="graph"/>: the spare one reset, or a new one.</summary>
    public ExecutionRunner Take(WorkflowRuntime runtime, CompiledGraph graph, string executionId, LeaseFence? fence)
    {
        var spare = _spare;
        _spare = null;
        return spare is not null ? spare.Reuse(executionId, fence, graph) : ExecutionRunner.ForItem(runtime, graph, executionId, fence);
    }

    /// <summary>Notes the runner of the item that just ended inline; it is reused only after <see cref="Release"/>.</summary>
    public void Hold(ExecutionRunner runner) => _last = runner;

    /// <summary>
    /// The map is done with the last item's state (it took the result or the error out of it): its runner may serve the
    /// next item, unless something outside still holds it.
    /// </summary>
    public void Release()
    {
        if (_last is { } last && last.TryRecycle())
        {
            _spare = last;
        }

        _last = null;
    }
}
