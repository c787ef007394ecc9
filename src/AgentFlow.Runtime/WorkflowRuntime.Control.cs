using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Runtime.Execution;

namespace AgentFlow.Runtime;

/// <summary>
/// Pause, resume and retry for executions this runtime runs or can run from their log. To reach an execution another
/// process owns, use <see cref="Hosting.WorkflowHost"/>: it sends <see cref="PauseSignalName"/> and
/// <see cref="ResumeSignalName"/> through the store's inbox, as it does for cancel.
/// </summary>
public sealed partial class WorkflowRuntime
{
    /// <summary>The reserved signal name that asks an execution's owner to pause it (payload: the reason, or null).</summary>
    public const string PauseSignalName = "agentflow.pause";

    /// <summary>The reserved signal name that asks an execution's owner to resume it after a pause.</summary>
    public const string ResumeSignalName = "agentflow.resume";

    /// <summary>
    /// Pauses an execution running here: <see cref="ExecutionPaused"/> is recorded, nothing new starts, attempts in
    /// flight finish and are recorded; then its loop stops and <see cref="ExecutionHandle.Completion"/> reports
    /// <see cref="ExecutionStatus.Paused"/>.
    /// </summary>
    /// <returns><see cref="ControlOutcome.Applied"/>, <see cref="ControlOutcome.Unchanged"/> when already paused, or
    /// <see cref="ControlOutcome.NotRunningHere"/>.</returns>
    /// <exception cref="ExecutionConflictException">The execution is ending (cancelling) or has ended.</exception>
    public async Task<ControlOutcome> PauseAsync(string executionId, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        if (!TryGetRunner(executionId, out var runner))
        {
            return ControlOutcome.NotRunningHere;
        }

        var reply = new TaskCompletionSource<ExecutionStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.RequestPause(reason, reply);
        var before = await ReplyOrEndAsync(runner, reply, cancellationToken).ConfigureAwait(false);
        return before switch
        {
            (ExecutionStatus.Running, true) => ControlOutcome.Applied,
            (ExecutionStatus.Paused, _) => ControlOutcome.Unchanged,
            _ => throw new ExecutionConflictException(executionId, before.Status, "paused", "Only a running execution can be paused."),
        };
    }

    /// <summary>Resumes a paused execution whose loop still runs here (attempts were still in flight).</summary>
    /// <returns><see cref="ControlOutcome.Applied"/>, <see cref="ControlOutcome.Unchanged"/> when it is running, or
    /// <see cref="ControlOutcome.NotRunningHere"/> (then resume it from its log with the overload taking a definition).</returns>
    /// <exception cref="ExecutionConflictException">The execution is ending (cancelling) or has ended.</exception>
    public async Task<ControlOutcome> ResumePausedAsync(string executionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        if (!TryGetRunner(executionId, out var runner))
        {
            return ControlOutcome.NotRunningHere;
        }

        var reply = new TaskCompletionSource<ExecutionStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.RequestResume(reply);
        var before = await ReplyOrEndAsync(runner, reply, cancellationToken).ConfigureAwait(false);
        return before switch
        {
            (ExecutionStatus.Paused, true) => ControlOutcome.Applied,

            // The loop parked before it saw the request: resuming it from its log applies it.
            (ExecutionStatus.Paused, false) => ControlOutcome.NotRunningHere,
            (ExecutionStatus.Running, _) => ControlOutcome.Unchanged,
            _ => throw new ExecutionConflictException(executionId, before.Status, "resumed", "Only a paused execution can be resumed."),
        };
    }

    /// <summary>
    /// Resumes a paused execution, here or from its log: when its loop no longer runs, records
    /// <see cref="ExecutionResumed"/> and continues it in this runtime (the caller must own it, e.g. hold its lease).
    /// </summary>
    /// <returns>The running execution; null when the log is unknown.</returns>
    /// <exception cref="ExecutionConflictException">The execution is neither paused nor running.</exception>
    public Task<ExecutionHandle?> ResumePausedAsync(WorkflowDefinition definition, string executionId, CancellationToken cancellationToken) =>
        ResumePausedAsync(definition, executionId, null, cancellationToken);

    /// <summary>Resumes a paused execution; with a fence, its appends are refused once the host's lease is lost.</summary>
    internal async Task<ExecutionHandle?> ResumePausedAsync(WorkflowDefinition definition, string executionId, LeaseFence? fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (await ResumePausedAsync(executionId, cancellationToken).ConfigureAwait(false) is ControlOutcome.Applied or ControlOutcome.Unchanged
            && GetHandle(executionId) is { } running)
        {
            return running;
        }

        var events = await Store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return null;
        }

        var status = ExecutionState.Replay(events).Status;
        if (status is not (ExecutionStatus.Paused or ExecutionStatus.Running))
        {
            throw new ExecutionConflictException(executionId, status, "resumed", "Only a paused execution can be resumed.");
        }

        if (status == ExecutionStatus.Paused)
        {
            ExecutionEvent resumed = new ExecutionResumed(executionId, events[^1].Sequence + 1, TimeProvider.GetUtcNow());
            await Store.AppendAsync(executionId, events[^1].Sequence, [resumed], cancellationToken).ConfigureAwait(false);
        }

        return await ResumeAsync(definition, executionId, fence, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Retries a failed execution from the nodes that failed it: records <see cref="ExecutionRetried"/> (see
    /// <see cref="Decider.PlanRetry"/> for which nodes it reopens) and continues the execution in this runtime.
    /// Completed nodes keep their outputs and never run again; a reopened node's next attempt has a new number, hence
    /// a new idempotency key. The caller must own the execution (e.g. hold its lease).
    /// </summary>
    /// <returns>The running execution; null when the log is unknown.</returns>
    /// <exception cref="ExecutionConflictException">The execution has not failed, or is a child execution.</exception>
    /// <exception cref="EventStoreConcurrencyException">Someone else appended to the log meanwhile (e.g. a concurrent retry).</exception>
    public Task<ExecutionHandle?> RetryAsync(WorkflowDefinition definition, string executionId, CancellationToken cancellationToken) =>
        RetryAsync(definition, executionId, null, cancellationToken);

    /// <summary>Retries a failed execution; with a fence, its appends are refused once the host's lease is lost.</summary>
    internal async Task<ExecutionHandle?> RetryAsync(WorkflowDefinition definition, string executionId, LeaseFence? fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        if (_active.ContainsKey(executionId))
        {
            throw new ExecutionConflictException(executionId, ExecutionStatus.Running, "retried", "It is running here; only a failed execution can be retried.");
        }

        var events = await Store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return null;
        }

        var graph = GetGraph(definition, definition);
        var state = ExecutionState.Replay(events, graph);
        if (state.Status != ExecutionStatus.Failed)
        {
            throw new ExecutionConflictException(executionId, state.Status, "retried", "Only a failed execution can be retried.");
        }

        if (state.ParentExecutionId is { } parent)
        {
            throw new ExecutionConflictException(executionId, state.Status, "retried", $"It is a child execution; retry its root (parent '{parent}').");
        }

        var nodeIds = new Decider(graph, TimeProvider).PlanRetry(state);
        ExecutionEvent retried = new ExecutionRetried(executionId, state.LastSequence + 1, TimeProvider.GetUtcNow(), nodeIds);
        await Store.AppendAsync(executionId, state.LastSequence, [retried], cancellationToken).ConfigureAwait(false);
        return await ResumeAsync(definition, executionId, fence, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The status before the loop handled the request (Handled true); when the loop ended first without handling it,
    /// the status it ended with (Handled false).
    /// </summary>
    private static async Task<(ExecutionStatus Status, bool Handled)> ReplyOrEndAsync(ExecutionRunner runner, TaskCompletionSource<ExecutionStatus> reply, CancellationToken cancellationToken)
    {
        await Task.WhenAny(reply.Task, runner.Completion).WaitAsync(cancellationToken).ConfigureAwait(false);
        return reply.Task.IsCompleted ? (await reply.Task.ConfigureAwait(false), true) : (runner.State.Status, false);
    }
}
