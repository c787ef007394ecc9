using System.Collections.Concurrent;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Dsl;
using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Hosting;

/// <summary>
/// Runs executions durably over an <see cref="IWorkflowStore"/>: every execution it runs is leased to it and the lease
/// is renewed by a heartbeat while it runs, so two processes never run one execution and a crashed owner's executions
/// are picked up by another (<see cref="RunAsync"/>) once its leases expire. Definitions are reloaded from the store,
/// in the exact version an execution started with.
/// </summary>
public sealed partial class WorkflowHost : IAsyncDisposable
{
    private readonly WorkflowRuntime _runtime;
    private readonly IWorkflowStore _store;
    private readonly WorkflowHostOptions _options;
    private readonly ConcurrentDictionary<string, Owned> _owned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _claimed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string WorkflowId, int Version, string ContentHash), WorkflowDefinition> _definitions = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly LeaseHandoverGate _handover = new();
    private readonly ConcurrentDictionary<Task, byte> _releases = new();
    private Task? _heartbeat;
    private Task? _signals;

    // When a wake loop should look again at the latest (the next timer due), by channel; written by the loop itself.
    private readonly DateTimeOffset?[] _nextWake = new DateTimeOffset?[3];

    /// <summary>Creates a host over a runtime whose store is durable.</summary>
    /// <exception cref="ArgumentException">The runtime's store is not an <see cref="IWorkflowStore"/>.</exception>
    public WorkflowHost(WorkflowRuntime runtime, WorkflowHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
        _store = runtime.Store as IWorkflowStore ?? throw new ArgumentException("A workflow host needs a runtime whose store is an IWorkflowStore.", nameof(runtime));
        _options = options ?? new WorkflowHostOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.LeaseDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentExecutions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentResumes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.PollInterval, TimeSpan.Zero);
        OwnerId = _options.OwnerId ?? $"{Environment.MachineName}:{Environment.ProcessId}";
    }

    /// <summary>This host's name in leases.</summary>
    public string OwnerId { get; }

    /// <summary>The runtime executions run in.</summary>
    public WorkflowRuntime Runtime => _runtime;

    /// <summary>Leases a new execution id, then starts the execution (saving <see cref="StartOptions.Source"/>).</summary>
    public async Task<ExecutionHandle> StartAsync(WorkflowDefinition definition, Value inputs, StartOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var executionId = options?.ExecutionId ?? _runtime.NewExecutionId();
        _ = await _store.TryAcquireLeaseAsync(executionId, OwnerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false)
            ?? throw new ExecutionOwnedException(executionId);
        ExecutionHandle handle;
        try
        {
            handle = await _runtime.StartAsync(definition, inputs, (options ?? new StartOptions()) with { ExecutionId = executionId }, Fence(executionId), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _store.ReleaseLeaseAsync(executionId, OwnerId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        Track(executionId, handle, []);
        return handle;
    }

    /// <summary>
    /// Resumes a stored execution here: leases it (and its root, for a child), reloads its definition, and continues
    /// from its log. Returns null when the execution is unknown.
    /// </summary>
    /// <exception cref="ExecutionOwnedException">Another process holds its lease.</exception>
    /// <exception cref="DefinitionUnavailableException">Its definition is not in the store or no longer loads.</exception>
    public async Task<ExecutionHandle?> ResumeAsync(string executionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        if (_runtime.GetHandle(executionId) is { } running)
        {
            return running;
        }

        var record = await _store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        var rootId = await FindRootAsync(record, cancellationToken).ConfigureAwait(false);
        using var handover = await _handover.EnterAsync(rootId, cancellationToken).ConfigureAwait(false);
        var lease = await _store.TryAcquireLeaseAsync(rootId, OwnerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false)
            ?? throw new ExecutionOwnedException(rootId);
        try
        {
            var handle = await ResumeLeasedAsync(lease.ExecutionId, cancellationToken).ConfigureAwait(false);
            Track(rootId, handle, []);
            return rootId == executionId ? handle : _runtime.GetHandle(executionId) ?? handle;
        }
        catch
        {
            await _store.ReleaseLeaseAsync(rootId, OwnerId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Cancels an execution wherever it runs: here directly; when nobody owns it, by recording the request and running
    /// it to its cancelled end here; when another process owns it, through its inbox.
    /// </summary>
    public async Task<CancelOutcome> CancelAsync(string executionId, CancellationToken cancellationToken)
    {
        if (await _runtime.CancelAsync(executionId, cancellationToken).ConfigureAwait(false))
        {
            return CancelOutcome.Cancelled;
        }

        var record = await _store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return CancelOutcome.Unknown;
        }

        if (record.IsTerminal)
        {
            return CancelOutcome.AlreadyFinished;
        }

        var rootId = await FindRootAsync(record, cancellationToken).ConfigureAwait(false);
        ExecutionHandle handle;
        using (await _handover.EnterAsync(rootId, cancellationToken).ConfigureAwait(false))
        {
            if (await _store.TryAcquireLeaseAsync(rootId, OwnerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false) is null)
            {
                await _runtime.SignalAsync(rootId, WorkflowRuntime.CancelSignalName, Value.Null, cancellationToken).ConfigureAwait(false);
                return CancelOutcome.Requested;
            }

            try
            {
                var events = await _store.ReadAsync(rootId, 1, cancellationToken).ConfigureAwait(false);
                var last = events[^1];
                if (record.Status is Core.Execution.ExecutionStatus.Running or Core.Execution.ExecutionStatus.Paused)
                {
                    ExecutionEvent request = new ExecutionCancelRequested(rootId, last.Sequence + 1, _runtime.TimeProvider.GetUtcNow(), "cancel requested by an operator");
                    await _store.AppendLeasedAsync(rootId, last.Sequence, [request], rootId, OwnerId, cancellationToken).ConfigureAwait(false);
                }

                handle = await ResumeLeasedAsync(rootId, cancellationToken).ConfigureAwait(false);
                Track(rootId, handle, []);
            }
            catch
            {
                await _store.ReleaseLeaseAsync(rootId, OwnerId, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }

        // Outside the gate: this run's own lease release, when it ends, goes through it.
        await handle.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        return CancelOutcome.Cancelled;
    }

    /// <summary>
    /// Works until cancelled: claims executions nobody owns (orphaned by a crash, or started elsewhere and released)
    /// and resumes them, and fires durable timers found due in the store. It sleeps until the store announces work
    /// (<see cref="IStoreNotifications"/>: a new or released execution, a timer armed) or the next timer is due, and
    /// looks anyway every <see cref="WorkflowHostOptions.PollInterval"/> in case an announcement was missed.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        EnsureHeartbeat();
        await Task.WhenAll(
            Task.Run(() => WakeLoopAsync(StoreChannel.Runnable, ClaimAsync, token), CancellationToken.None),
            Task.Run(() => WakeLoopAsync(StoreChannel.Timers, FireDueTimersAsync, token), CancellationToken.None)).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops working: detaches the executions running here (they record nothing more and stay resumable), stops the
    /// heartbeat and gives up every lease, so another process can take over at once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _runtime.DetachAllAsync(CancellationToken.None).ConfigureAwait(false);

        // Every run has ended now; let their lease releases finish, so a disposed host holds no lease it owned.
        try
        {
            await Task.WhenAll(_releases.Keys).WaitAsync(TimeSpan.FromSeconds(10), _runtime.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A release stuck on a failing store: the lease then simply expires.
        }

        if (_heartbeat is not null)
        {
            await _heartbeat.ConfigureAwait(false);
        }

        if (_signals is not null)
        {
            await _signals.ConfigureAwait(false);
        }

        foreach (var owned in _owned.Values)
        {
            foreach (var id in owned.LeaseIds())
            {
                try
                {
                    await _store.ReleaseLeaseAsync(id, OwnerId, CancellationToken.None).ConfigureAwait(false);
                }
                catch (StoreException)
                {
                    // The store is closing or failing; the lease then simply expires.
                }
            }
        }

        _stopping.Dispose();
    }
}
