using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;

namespace AgentFlow.Runtime;

/// <summary>
/// Sees every batch of events the runtime's executions record, for telemetry (metrics, traces, logs) that must not
/// change how executions run.
/// </summary>
/// <remarks>
/// Called on the execution's loop right after the batch is durably appended, in sequence order per execution; when an
/// execution is resumed, once with the whole replayed log and <c>replayed</c> true. Keep it fast and non-blocking; an
/// exception it throws is swallowed so telemetry can never fail an execution.
/// </remarks>
public interface IExecutionObserver
{
    /// <param name="graph">The execution's workflow (node kinds are found through it).</param>
    /// <param name="events">The batch; valid only during the call.</param>
    /// <param name="replayed">True for events recorded earlier and replayed on resume, not newly recorded.</param>
    void OnRecorded(CompiledGraph graph, IReadOnlyList<ExecutionEvent> events, bool replayed);
}
