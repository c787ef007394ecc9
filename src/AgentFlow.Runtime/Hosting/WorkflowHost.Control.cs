using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Hosting;

/// <summary>
/// Pause, resume and retry wherever the execution runs: here directly; when nobody owns it, by writing the event under
/// its lease; when another process owns it, through that owner's inbox (reserved signals, like cancel).
/// </summary>
public sealed partial class WorkflowHost
{
    /// <summary>
    /// Pauses an execution: no new node starts until <see cref="ResumePausedAsync"/>; attempts already running finish
    /// and are recorded. A paused execution holds no lease and no slot, is not claimed by workers, and stays paused
    /// across restarts. Pausing a paused execution changes nothing.
    /// </summary>
    /// <returns><see cref="ControlOutcome.Applied"/> (recorded, or handed to the loop running it here),
    /// <see cref="ControlOutcome.Requested"/> (in its owner's inbox), <see cref="ControlOutcome.Unchanged"/> (already
    /// paused) or <see cref="ControlOutcome.Unknown"/>.</returns>
    /// <exception cref="ExecutionConflictException">The execution has ended or is being cancelled, or is a child execution.</exception>
    public async Task<ControlOutcome> PauseAsync(string executionId, string? reason, CancellationToken cancellationToken)
    {
        var local = await _runtime.PauseAsync(executionId, reason, cancellationToken).ConfigureAwait(false);
        if (local != ControlOutcome.NotRunningHere)
        {
            return local;
        }

        var record = await ControllableAsync(executionId, "paused", cancellationToken).ConfigureAwait(false);
        if (record is null || record.Status == ExecutionStatus.Paused)
        {
            return record is null ? ControlOutcome.Unknown : ControlOutcome.Unchanged;
        }

        RequireStatus(record, ExecutionStatus.Running, "paused", "Only a running execution can be paused.");
        if (await _store.TryAcquireLeaseAsync(executionId, OwnerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false) is null)
        {
            await _runtime.SignalAsync(executionId, WorkflowRuntime.PauseSignalName, reason is null ? Value.Null : Value.From(reason), cancellationToken).ConfigureAwait(false);
            return ControlOutcome.Requested;
        }

        try
        {
            // Nobody runs it (e.g. its owner crashed): record the pause under the lease, so no worker claims it.
            var events = await _store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
            var status = ExecutionState.Replay(events).Status;
            if (status == ExecutionStatus.Paused)
            {
                return ControlOutcome.Unchanged;
            }

            RequireStatus(record with { Status = status }, ExecutionStatus.Running, "paused", "Only a running execution can be paused.");
            await AppendAsync(executionId, (id, seq, at) => new Core.Events.ExecutionPaused(id, seq, at, reason), cancellationToken).ConfigureAwait(false);
            return ControlOutcome.Applied;
        }
        finally
        {
            await _store.ReleaseLeaseAsync(executionId, OwnerId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Resumes a paused execution: <c>ExecutionResumed</c> is recorded and whatever became runnable meanwhile starts.
    /// When nobody runs it, it is leased and continues in this host; when another process still runs it (attempts were in
    /// flight), the request goes to that owner's inbox. Resuming a running execution changes nothing.
    /// </summary>
    /// <returns><see cref="ControlOutcome.Applied"/>, <see cref="ControlOutcome.Requested"/>,
    /// <see cref="ControlOutcome.Unchanged"/> (it is running) or <see cref="ControlOutcome.Unknown"/>.</returns>
    /// <exception cref="ExecutionConflictException">The execution has ended or is being cancelled, or is a child execution.</exception>
    /// <exception cref="DefinitionUnavailableException">Its definition is not in the store or no longer loads.</exception>
    public async Task<ControlOutcome> ResumePausedAsync(string executionId, CancellationToken cancellationToken)
    {
        var local = await _runtime.ResumePausedAsync(executionId, cancellationToken).ConfigureAwait(false);
        if (local is ControlOutcome.Applied or ControlOutcome.Unchanged)
        {
            return local;
        }

        var record = await ControllableAsync(executionId, "resumed", cancellationToken).ConfigureAwait(false);
        if (record is null || record.Status == ExecutionStatus.Running)
        {
            return record is null ? ControlOutcome.Unknown : ControlOutcome.Unchanged;
        }

        RequireStatus(record, ExecutionStatus.Paused, "resumed", "Only a paused execution can be resumed.");
        if (await TryResumePausedHereAsync(executionId, cancellationToken).ConfigureAwait(false))
        {
            return ControlOutcome.Applied;
        }

        await _runtime.SignalAsync(executionId, WorkflowRuntime.ResumeSignalName, Value.Null, cancellationToken).ConfigureAwait(false);
        return await AwaitResumeAsync(executionId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a resume signal: the owner either applies it (the execution runs again), or stops first (it parked just
    /// then, or it crashed and its lease expires), and then nobody reads the inbox, so the execution is resumed here.
    /// Waits at most a lease duration and two polls; a resumed execution that finds the signal later only acknowledges it.
    /// </summary>
    private async Task<ControlOutcome> AwaitResumeAsync(string executionId, CancellationToken cancellationToken)
    {
        var time = _runtime.TimeProvider;
        var deadline = time.GetUtcNow() + _options.LeaseDuration + _options.PollInterval + _options.PollInterval;
        while (true)
        {
            var record = await _store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
            if (record is null || record.Status != ExecutionStatus.Paused)
            {
                return ControlOutcome.Requested;
            }

            try
            {
                if (await TryResumePausedHereAsync(executionId, cancellationToken).ConfigureAwait(false))
                {
                    return ControlOutcome.Applied;
                }
            }
            catch (ExecutionConflictException)
            {
                // The owner applied the resume and the execution moved on (even ended) in between: nothing to do here.
                return ControlOutcome.Requested;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return ControlOutcome.Requested;
            }

            await Task.Delay(_options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Retries a failed execution from the nodes that failed it (see <see cref="WorkflowRuntime.RetryAsync(Core.Definitions.WorkflowDefinition, string, CancellationToken)"/>): it is
    /// leased and continues in this host; completed nodes keep their outputs and do not run again.
    /// </summary>
    /// <returns>The running execution; null when no execution has that id.</returns>
    /// <exception cref="ExecutionConflictException">The execution has not failed, or is a child execution.</exception>
    /// <exception cref="ExecutionOwnedException">Another process still holds its lease (it is finishing); try again shortly.</exception>
    /// <exception cref="DefinitionUnavailableException">Its definition is not in the store or no longer loads.</exception>
    public async Task<ExecutionHandle?> RetryAsync(string executionId, CancellationToken cancellationToken)
    {
        var record = await ControllableAsync(executionId, "retried", cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        RequireStatus(record, ExecutionStatus.Failed, "retried", "Only a failed execution can be retried.");
        return await RunLeasedAsync(executionId, (definition, id, token) => _runtime.RetryAsync(definition, id, Fence(id), token), cancellationToken).ConfigureAwait(false)
            ?? throw new ExecutionOwnedException(executionId);
    }

    /// <summary>Leases a paused execution nobody runs, records its resume and continues it here; false when it is owned.</summary>
    private async Task<bool> TryResumePausedHereAsync(string executionId, CancellationToken cancellationToken) =>
        await RunLeasedAsync(executionId, (definition, id, token) => _runtime.ResumePausedAsync(definition, id, Fence(id), token), cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// Leases the execution, reloads its definition and lets <paramref name="start"/> continue it here (tracked like any
    /// execution this host owns); null when another process holds the lease. On any failure the lease is given back.
    /// </summary>
    private async Task<ExecutionHandle?> RunLeasedAsync(
        string executionId,
        Func<Core.Definitions.WorkflowDefinition, string, CancellationToken, Task<ExecutionHandle?>> start,
        CancellationToken cancellationToken)
    {
        // Held until the new run is tracked, so a previous run's lease release cannot land after this acquire.
        using var handover = await _handover.EnterAsync(executionId, cancellationToken).ConfigureAwait(false);
        if (await _store.TryAcquireLeaseAsync(executionId, OwnerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        try
        {
            var definition = await LoadStoredDefinitionAsync(executionId, cancellationToken).ConfigureAwait(false);
            var handle = await start(definition, executionId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Execution '{executionId}' has no log.");
            Track(executionId, handle, []);
            return handle;
        }
        catch
        {
            await _store.ReleaseLeaseAsync(executionId, OwnerId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The index row of a root execution; null when unknown.</summary>
    /// <exception cref="ExecutionConflictException">It is a child execution (map item, sub-workflow): control its root.</exception>
    private async Task<ExecutionRecord?> ControllableAsync(string executionId, string operation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        var record = await _store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        if (record?.ParentExecutionId is { } parent)
        {
            throw new ExecutionConflictException(executionId, record.Status, operation, $"It is a child execution; control its root (parent '{parent}').");
        }

        return record;
    }

    private static void RequireStatus(ExecutionRecord record, ExecutionStatus expected, string operation, string hint)
    {
        if (record.Status != expected)
        {
            throw new ExecutionConflictException(record.ExecutionId, record.Status, operation, hint);
        }
    }
}
