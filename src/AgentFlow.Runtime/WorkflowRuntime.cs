using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Execution;
using AgentFlow.Runtime.Stores;

namespace AgentFlow.Runtime;

/// <summary>
/// The facade every host (CLI, server, tests, benchmarks) uses: starts executions, cancels them, streams their
/// events and reports on them. One instance is long-lived and shared; it owns the node concurrency budget.
/// </summary>
public sealed partial class WorkflowRuntime : IDisposable
{
    private readonly ConcurrentDictionary<string, ExecutionRunner> _active = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<WorkflowDefinition, CompiledGraph> _graphs = [];
    private readonly ConditionalWeakTable<WorkflowDefinition, ScopeReferences> _scopeReferences = [];
    private readonly ConditionalWeakTable<WorkflowDefinition, MapBody> _mapBodies = [];
    private readonly Func<string> _newId;

    /// <summary>Creates a runtime; defaults: in-memory store, built-in executors, system clock.</summary>
    public WorkflowRuntime(WorkflowRuntimeOptions? options = null)
    {
        options ??= new WorkflowRuntimeOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentNodes, 1);
        Store = options.Store ?? new InMemoryEventStore();
        Signals = Store as ISignalStore ?? new LocalSignalInbox(options.TimeProvider);
        Registry = options.Registry ?? new NodeExecutorRegistry();
        TimeProvider = options.TimeProvider;
        Services = options.Services;
        Observer = options.Observer;
        Budget = new SemaphoreSlim(options.MaxConcurrentNodes, options.MaxConcurrentNodes);
        _newId = options.IdGenerator ?? (() => Guid.NewGuid().ToString("N"));
    }

    /// <summary>The reserved signal name that asks an execution's owner to cancel it.</summary>
    public const string CancelSignalName = "agentflow.cancel";

    /// <summary>Where logs are kept (an <see cref="IWorkflowStore"/> for durable executions).</summary>
    public IEventStore Store { get; }

    /// <summary>The store's signal inbox, or an in-memory one when the store keeps only logs.</summary>
    internal ISignalStore Signals { get; }

    /// <summary>The executors; register more kinds here (e.g. <c>http</c>).</summary>
    public NodeExecutorRegistry Registry { get; }

    /// <summary>The runtime's clock.</summary>
    public TimeProvider TimeProvider { get; }

    internal IServiceProvider? Services { get; }

    internal IExecutionObserver? Observer { get; }

    /// <summary>Slots for concurrently running node attempts, across all executions.</summary>
    internal SemaphoreSlim Budget { get; }

    /// <summary>
    /// Binds the inputs, records the start and begins running. Returns once <see cref="ExecutionStarted"/> (and the
    /// first round of node starts) is appended.
    /// </summary>
    /// <exception cref="WorkflowInputException">The inputs are invalid; nothing was recorded.</exception>
    /// <exception cref="Core.Diagnostics.DefinitionException">The graph is malformed (unknown edge endpoint, duplicate id).</exception>
    public Task<ExecutionHandle> StartAsync(WorkflowDefinition definition, Value inputs, StartOptions? options, CancellationToken cancellationToken) =>
        StartAsync(definition, inputs, options, null, cancellationToken);

    /// <summary>Starts an execution whose appends (and its children's) are checked against <paramref name="fence"/>.</summary>
    internal async Task<ExecutionHandle> StartAsync(WorkflowDefinition definition, Value inputs, StartOptions? options, LeaseFence? fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var (bound, errors) = InputBinder.Bind(definition, inputs);
        if (errors.Count > 0)
        {
            throw new WorkflowInputException(definition.Id, errors);
        }

        var graph = GetGraph(definition, definition);
        var executionId = options?.ExecutionId ?? _newId();
        var runner = new ExecutionRunner(this, graph, executionId) { Fence = fence };
        if (!_active.TryAdd(executionId, runner))
        {
            throw new InvalidOperationException($"Execution '{executionId}' is already running.");
        }

        try
        {
            var version = definition.Version;
            if (options?.Source is { } source && Store is IDefinitionStore definitions)
            {
                var saved = await definitions.SaveDefinitionAsync(definition.Id, source.Format, source.Text, cancellationToken).ConfigureAwait(false);
                version = saved.Definition.Version;
            }

            var started = new ExecutionStarted(executionId, 1, TimeProvider.GetUtcNow(), definition.Id, version, bound) { SecretInputs = SecretNames(definition) };
            await runner.StartAsync(started, options?.Timeout ?? definition.Timeout, cancellationToken, inline: options?.RunInline == true).ConfigureAwait(false);
        }
        catch
        {
            _active.TryRemove(executionId, out _);
            throw;
        }

        return new ExecutionHandle(runner);
    }

    /// <summary>
    /// Continues an execution from its stored log (after a crash or restart): completed nodes never run again; attempts
    /// that started but did not finish are re-dispatched with the same idempotency key; timers are re-armed.
    /// </summary>
    public Task<ExecutionHandle> ResumeAsync(WorkflowDefinition definition, string executionId, CancellationToken cancellationToken) =>
        ResumeAsync(definition, executionId, null, cancellationToken);

    /// <summary>Resumes an execution whose appends (and its children's) are checked against <paramref name="fence"/>.</summary>
    internal async Task<ExecutionHandle> ResumeAsync(WorkflowDefinition definition, string executionId, LeaseFence? fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var runner = await ResumeRunnerAsync(GetGraph(definition, definition), executionId, fence, default, default, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Execution '{executionId}' has no log.");
        return new ExecutionHandle(runner);
    }

    /// <summary>The handle of an execution running in this runtime, or null.</summary>
    public ExecutionHandle? GetHandle(string executionId) => TryGetRunner(executionId, out var runner) ? new ExecutionHandle(runner) : null;

    /// <summary>Requests cancellation of a running execution; false when it is not running here.</summary>
    /// <remarks>To cancel an execution another process owns, use <see cref="Hosting.WorkflowHost.CancelAsync"/>.</remarks>
    public ValueTask<bool> CancelAsync(string executionId, CancellationToken cancellationToken)
    {
        if (!TryGetRunner(executionId, out var runner))
        {
            return new(false);
        }

        runner.RequestCancel();
        return new(true);
    }

    /// <summary>
    /// Sends a signal: it waits in the execution's inbox until a <c>wait</c> node for <paramref name="name"/> takes it
    /// (at once when one is waiting in this runtime; otherwise when the owner next looks at the inbox).
    /// </summary>
    /// <param name="deduplicationId">Makes a retried send safe: a second send with the same id is not stored again.</param>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public async Task<SignalSendResult> SignalAsync(string executionId, string name, Value payload, string? deduplicationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var result = await Signals.SendSignalAsync(executionId, name, payload.ToJson(), deduplicationId, cancellationToken).ConfigureAwait(false);
        NotifySignals(executionId);
        return result;
    }

    /// <summary>Sends a signal (see the overload with a deduplication id).</summary>
    public Task<SignalSendResult> SignalAsync(string executionId, string name, Value payload, CancellationToken cancellationToken) =>
        SignalAsync(executionId, name, payload, null, cancellationToken);

    /// <summary>
    /// Stops running every execution here without recording anything more, as if the process had stopped: their logs
    /// stay as they are, resumable by this or another process. Returns once every loop has stopped.
    /// </summary>
    public async Task DetachAllAsync(CancellationToken cancellationToken)
    {
        var runners = _active.Where(a => a.Value.Expose(a.Key)).Select(a => a.Value).ToList();

        // Flag every runner before any can react, so children ignore the cancellation a detaching parent passes on.
        foreach (var runner in runners)
        {
            runner.Detach();
        }

        foreach (var runner in runners)
        {
            try
            {
                await runner.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A runner that had already faulted has stopped too.
            }
        }
    }

    /// <summary>Makes an execution running here look at its inbox (a host calls it when polling for signals sent elsewhere).</summary>
    public void NotifySignals(string executionId)
    {
        if (TryGetRunner(executionId, out var runner))
        {
            runner.NotifySignals();
        }
    }

    /// <summary>Hands a due store timer to the execution running here; false when it does not run here.</summary>
    internal bool NotifyStoreTimerDue(string executionId, string nodeId)
    {
        if (!TryGetRunner(executionId, out var runner))
        {
            return false;
        }

        runner.NotifyStoreTimerDue(nodeId);
        return true;
    }

    /// <summary>Whether an execution running here only waits (for signals or timers) with no node working.</summary>
    internal bool IsParked(string executionId) => TryGetRunner(executionId, out var runner) && runner.IsParked;

    /// <summary>The ids of the executions running in this runtime.</summary>
    public IReadOnlyCollection<string> ActiveExecutionIds => [.. _active.Keys];

    /// <summary>The report of an execution, folded from its stored log; null when unknown.</summary>
    public async Task<ExecutionReport?> GetReportAsync(string executionId, CancellationToken cancellationToken)
    {
        var events = await Store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        return events.Count == 0 ? null : ExecutionReport.FromEvents(events);
    }

    /// <summary>Releases the budget; call it once no execution is running.</summary>
    public void Dispose() => Budget.Dispose();

    /// <summary>A fresh execution id from the configured generator.</summary>
    internal string NewExecutionId() => _newId();

    /// <summary>
    /// Stops an execution running here because it is owned elsewhere now (see <see cref="ExecutionRunner.LoseOwnership"/>);
    /// false when it is not running here.
    /// </summary>
    internal bool LoseOwnership(string executionId, Exception cause)
    {
        if (!TryGetRunner(executionId, out var runner))
        {
            return false;
        }

        runner.LoseOwnership(cause);
        return true;
    }

    /// <summary>Detaches the child executions (at any depth) of an execution running here.</summary>
    internal void DetachDescendants(string executionId)
    {
        var prefix = executionId + "/";
        foreach (var (id, runner) in _active)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal) && runner.Expose(id))
            {
                runner.Detach();
            }
        }
    }

    /// <summary>
    /// The runner of an execution running here. Looked up only through this, which marks it as known outside: a map
    /// item's runner is then never reused for the next item (see <see cref="ItemRunnerSlot"/>), and one reused meanwhile
    /// is not mistaken for the execution asked for.
    /// </summary>
    private bool TryGetRunner(string executionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ExecutionRunner? runner)
    {
        if (_active.TryGetValue(executionId, out runner) && runner.Expose(executionId))
        {
            return true;
        }

        runner = null;
        return false;
    }

    internal void Unregister(ExecutionRunner runner) => _active.TryRemove(new KeyValuePair<string, ExecutionRunner>(runner.ExecutionId, runner));

    internal ScopeReferences ScopeReferencesOf(WorkflowDefinition body) => _scopeReferences.GetValue(body, ScopeReferences.Of);

    internal MapBody MapBodyOf(WorkflowDefinition body) => _mapBodies.GetValue(body, MapBody.Of);

    internal CompiledGraph GetGraph(WorkflowDefinition definition, WorkflowDefinition root) =>

        // Looked up first, in a method without the compiling closure (it captures root and would be allocated on entry):
        // this runs once per map item.
        _graphs.TryGetValue(definition, out var graph) ? graph : Compile(definition, root);

    private CompiledGraph Compile(WorkflowDefinition definition, WorkflowDefinition root) =>
        _graphs.GetValue(definition, d => CompiledGraph.Compile(d, root));

    /// <summary>
    /// Runs (or, when its log exists, resumes or just reads) a child execution and returns its final state.
    /// Child ids are derived from the parent, so a resumed parent finds the children it had started.
    /// </summary>
    internal ValueTask<ExecutionState> RunChildAsync(ExecutionRunner parent, WorkflowDefinition body, string childId, Value inputs, string parentNodeId, CancellationToken cancellationToken) =>
        RunChildAsync(parent, body, childId, inputs, default, default, parentNodeId, null, cancellationToken);

    /// <summary>
    /// Runs a child as <see cref="RunChildAsync(ExecutionRunner, WorkflowDefinition, string, Value, string, CancellationToken)"/>;
    /// a map item when it has <paramref name="itemRoots"/> (<c>item</c>, <c>index</c>: all its log records of its scope)
    /// and reads <paramref name="lexicalScope"/> (the parent's <c>nodes</c> and <c>vars</c>). A new child runs on
    /// <paramref name="slot"/>'s spare runner, when there is one, and one that ends inline is held there for reuse.
    /// </summary>
    internal ValueTask<ExecutionState> RunChildAsync(ExecutionRunner parent, WorkflowDefinition body, string childId, Value inputs, Value itemRoots, Value lexicalScope, string parentNodeId, ItemRunnerSlot? slot, CancellationToken cancellationToken)
    {
        // Synchronous up to the first thing that really waits: a child of local nodes (every map item of a FlowGram loop)
        // ends inline, and an async method per item cost its state machine's start and copy for nothing.
        try
        {
            var graph = slot?.Graph is { } known && ReferenceEquals(known.Definition, body) ? known : GetGraph(body, parent.Graph.Root);
            if (slot is not null)
            {
                slot.Graph = graph;
            }

            // A parent that started its log here (not resumed from it) has no children in the store yet, since child ids
            // derive from its id and node attempt: skip the read, a store round trip per map item on a durable store.
            if (parent.IsResumed)
            {
                return ResumeChildAsync(parent, body, graph, childId, inputs, itemRoots, lexicalScope, parentNodeId, slot, cancellationToken);
            }

            var runner = StartChild(parent, body, graph, childId, inputs, itemRoots, lexicalScope, parentNodeId, slot, cancellationToken, out var start);
            return start.IsCompletedSuccessfully && runner.IsFinished ? new(Ended(runner, slot)) : AwaitChildAsync(parent, runner, childId, start, slot, cancellationToken);
        }
#pragma warning disable CA1031 // Surfaced through the returned task, as the async method it stands for would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<ExecutionState>(ex);
        }
    }

    /// <summary>A child of a resumed parent: its log may exist (resume or just read it), else it starts afresh.</summary>
    private async ValueTask<ExecutionState> ResumeChildAsync(ExecutionRunner parent, WorkflowDefinition body, CompiledGraph graph, string childId, Value inputs, Value itemRoots, Value lexicalScope, string parentNodeId, ItemRunnerSlot? slot, CancellationToken cancellationToken)
    {
        // A map item (one with a scope) records only its item and index; the parent's inputs, nodes and variables are
        // handed to it here, when it starts and when it resumes (see ExecutionStarted.InheritsParentContext).
        var mapItem = !itemRoots.IsNull;
        var runner = await ResumeRunnerAsync(graph, childId, parent.Fence, mapItem ? inputs : default, mapItem ? lexicalScope : default, cancellationToken).ConfigureAwait(false);
        var start = Task.CompletedTask;
        if (runner is null)
        {
            runner = StartChild(parent, body, graph, childId, inputs, itemRoots, lexicalScope, parentNodeId, slot, cancellationToken, out start);
        }

        return await AwaitChildAsync(parent, runner, childId, start, slot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers a new child's runner and begins it; <paramref name="start"/> completes once its start is recorded.</summary>
    private ExecutionRunner StartChild(ExecutionRunner parent, WorkflowDefinition body, CompiledGraph graph, string childId, Value inputs, Value itemRoots, Value lexicalScope, string parentNodeId, ItemRunnerSlot? slot, CancellationToken cancellationToken, out Task start)
    {
        var mapItem = !itemRoots.IsNull;
        var runner = slot is null ? new ExecutionRunner(this, graph, childId) { Fence = parent.Fence } : slot.Take(this, graph, childId, parent.Fence);
        if (!_active.TryAdd(childId, runner))
        {
            throw new InvalidOperationException($"Child execution '{childId}' is already running.");
        }

        var started = mapItem
            ? new ExecutionStarted(childId, 1, TimeProvider.GetUtcNow(), body.Id, body.Version, Value.EmptyObject, parent.ExecutionId, parentNodeId, itemRoots)
            {
                InheritsParentContext = true,

                // A map item sees its parent's inputs, so the parent's secrets stay secret there too.
                SecretInputs = parent.State.SecretInputs.Count == 0 ? null : parent.State.SecretInputs,
            }
            : new ExecutionStarted(childId, 1, TimeProvider.GetUtcNow(), body.Id, body.Version, inputs, parent.ExecutionId, parentNodeId) { SecretInputs = SecretNames(body) };
        if (mapItem)
        {
            runner.State.ProvideParentContext(inputs, lexicalScope);
        }

        // Inline: a child of local nodes runs to its end on this thread (see ExecutionRunner.StartAsync).
        // A start that failed is unregistered where it is awaited (AwaitChildAsync).
        start = runner.StartAsync(started, body.Timeout, cancellationToken, inline: true, appendWithFirstBatch: true);
        return runner;
    }

    /// <summary>Waits for a child's start to be recorded, then for its end unless it already ended inline.</summary>
    private async ValueTask<ExecutionState> AwaitChildAsync(ExecutionRunner parent, ExecutionRunner runner, string childId, Task start, ItemRunnerSlot? slot, CancellationToken cancellationToken)
    {
        try
        {
            await start.ConfigureAwait(false);
        }
        catch
        {
            _active.TryRemove(new KeyValuePair<string, ExecutionRunner>(childId, runner));
            throw;
        }

        if (runner.IsFinished)
        {
            return Ended(runner, slot);
        }

        // A parent that stops here without recording (detached, or owned elsewhere now) cancels its map or sub-workflow
        // node's token too; its children must then stop the same way, never record a cancellation.
        using (cancellationToken.Register(static s => { var (p, c) = ((ExecutionRunner, ExecutionRunner))s!; if (p.IsDetached) { c.Detach(); } else { c.RequestCancel(); } }, (parent, runner)))
        {
            if (parent.IsDetached)
            {
                runner.Detach();
            }

            await runner.Completion.ConfigureAwait(false);
        }

        return runner.State;
    }

    /// <summary>A child that ran to its end inline (local nodes only): nothing is left to cancel or detach.</summary>
    private static ExecutionState Ended(ExecutionRunner runner, ItemRunnerSlot? slot)
    {
        if (runner.Failure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        slot?.Hold(runner);
        return runner.State;
    }

    private static string[]? SecretNames(WorkflowDefinition definition)
    {
        var names = definition.Inputs.Where(i => i.Secret).Select(i => i.Name).ToArray();
        return names.Length == 0 ? null : names;
    }

    private async Task<ExecutionRunner?> ResumeRunnerAsync(CompiledGraph graph, string executionId, LeaseFence? fence, Value parentInputs, Value parentScope, CancellationToken cancellationToken)
    {
        if (TryGetRunner(executionId, out var active))
        {
            return active;
        }

        var events = await Store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return null;
        }

        var state = ExecutionState.Replay(events, graph, parentInputs, parentScope);
        var runner = new ExecutionRunner(this, graph, executionId, state) { ReplayedEvents = events, Fence = fence };
        if (!_active.TryAdd(executionId, runner))
        {
            return TryGetRunner(executionId, out active) ? active : throw new InvalidOperationException($"Execution '{executionId}' ended while it was being resumed.");
        }

        runner.Resume();
        return runner;
    }
}
