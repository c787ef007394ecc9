using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

/// <summary>
/// The state of an execution, built only by applying its events in order. Deterministic: the same log
/// always folds to the same state. Mutates internally for speed; nothing outside <see cref="Apply"/> writes it.
/// </summary>
public sealed partial class ExecutionState
{
    // Created on first use: most executions (every map item, say) have no variables, signals or graph-less lookups,
    // and a state is built per execution.
    private Dictionary<string, NodeState>? _nodes;
    private Dictionary<string, Value>? _variables;
    private List<string>? _variableOrder;
    private HashSet<long>? _deliveredSignals;
    private Value _variablesValue;
    private bool _variablesDirty = true;
    private Value _executionValue;
    private Value _parentInputs;
    private Value _parentScope;

    // A map item handed only its parent's lexical scope: its own roots (item, index) stay in the log's start event, and
    // the two are looked up in turn (TryGetScopeRoot) rather than merged into one object per item.
    private Value _ownRoots;
    private bool _splitScope;
    private Value _scope;

    // The node the last lookup by id found (see IndexOf); an index, so a reset or another graph cannot make it stale.
    private int _lastIndex = -1;

    /// <summary>An empty state; with a graph, every node starts pending and join counters are maintained.</summary>
    public ExecutionState(CompiledGraph? graph = null)
    {
        Graph = graph;
        if (graph is null)
        {
            NodeArray = [];
            return;
        }

        NodeArray = new NodeState[graph.Count];
        for (var i = 0; i < graph.Count; i++)
        {
            NodeArray[i] = new NodeState(graph.Nodes[i].Id, i) { UnresolvedIncoming = graph.Incoming[i].Length };
        }

        SetInitialVariables(graph);
    }

    /// <summary>
    /// Empties the state as if newly made for <paramref name="graph"/>, so it can fold another log: the runtime reuses
    /// the state of a map item nothing refers to any more for the next item, of the same map or of the next map in a
    /// chain, rather than allocate one per item. The node objects are kept when the graph has as many nodes.
    /// </summary>
    public void Reset(CompiledGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (ReferenceEquals(graph, Graph))
        {
            ResetCore();
            return;
        }

        if (Graph is null || NodeArray.Length != graph.Count)
        {
            NodeArray = new NodeState[graph.Count];
            for (var i = 0; i < graph.Count; i++)
            {
                NodeArray[i] = new NodeState(graph.Nodes[i].Id, i);
            }
        }
        else
        {
            for (var i = 0; i < NodeArray.Length; i++)
            {
                NodeArray[i].Rename(graph.Nodes[i].Id);
            }
        }

        // The id lookup maps the old graph's ids: built again on demand.
        _nodes = null;
        Graph = graph;
        ResetCore();
    }

    private void ResetCore()
    {
        // The lookup dictionary, when built, maps to these same node objects: it stays valid.
        var graph = Graph!;
        for (var i = 0; i < NodeArray.Length; i++)
        {
            NodeArray[i].Reset(graph.Incoming[i].Length);
        }

        _variables?.Clear();
        _variableOrder?.Clear();
        _deliveredSignals = null;
        _variablesValue = default;
        _variablesDirty = true;
        _executionValue = default;
        _parentInputs = default;
        _parentScope = default;
        _ownRoots = default;
        _splitScope = false;
        _scope = default;
        ExecutionId = "";
        WorkflowId = "";
        WorkflowVersion = 0;
        Status = default;
        Inputs = default;
        SecretInputs = [];
        ParentExecutionId = null;
        ParentNodeId = null;
        StartedAt = null;
        FinishedAt = null;
        Outputs = default;
        Error = null;
        FailedNodeId = null;
        LastSequence = 0;
        ActiveNodes = 0;
        ResolvedNodes = 0;
        SetInitialVariables(graph);
    }

    private void SetInitialVariables(CompiledGraph graph)
    {
        foreach (var variable in graph.Definition.Variables)
        {
            SetVariable(variable.Name, variable.Initial);
        }
    }

    /// <summary>The graph, when the state can drive the decider.</summary>
    public CompiledGraph? Graph { get; private set; }

    /// <summary>The execution id (from ExecutionStarted).</summary>
    public string ExecutionId { get; private set; } = "";

    /// <summary>The definition id.</summary>
    public string WorkflowId { get; private set; } = "";

    /// <summary>The definition version.</summary>
    public int WorkflowVersion { get; private set; }

    /// <summary>Where the execution stands.</summary>
    public ExecutionStatus Status { get; private set; }

    /// <summary>The bound inputs.</summary>
    public Value Inputs { get; private set; }

    /// <summary>Names of inputs declared secret (see <see cref="ExecutionStarted.SecretInputs"/>).</summary>
    public IReadOnlyList<string> SecretInputs { get; private set; } = [];

    /// <summary>Inbox ids of the signals recorded as delivered (<see cref="SignalReceived"/>).</summary>
    public IReadOnlySet<long> DeliveredSignals => _deliveredSignals ?? (IReadOnlySet<long>)System.Collections.Frozen.FrozenSet<long>.Empty;

    /// <summary>
    /// Hands a map item the context its log does not record (<see cref="ExecutionStarted.InheritsParentContext"/>):
    /// the parent's inputs and its lexical scope (the parent's <c>nodes</c> and <c>vars</c>; <c>item</c> and
    /// <c>index</c> come from the log's start, unless <paramref name="scope"/> holds them too, the whole item scope).
    /// Call it before the log's first event is applied; a log that records its context ignores it.
    /// </summary>
    public void ProvideParentContext(Value inputs, Value scope)
    {
        if (ExecutionId.Length > 0)
        {
            throw new InvalidOperationException($"The parent context of '{ExecutionId}' must be provided before its start is applied.");
        }

        _parentInputs = inputs;
        _parentScope = scope;
    }

    /// <summary>Extra expression roots of a child execution (see <see cref="ExecutionStarted.Scope"/>).</summary>
    public Value Scope
    {
        get
        {
            if (_splitScope && _scope.IsNull)
            {
                // Built only when asked for as a whole; expressions read the roots one by one.
                var entries = new List<KeyValuePair<string, Value>>(_ownRoots.Kind == ValueKind.Object ? _ownRoots.AsObject() : ValueObject.Empty);
                foreach (var root in _parentScope.AsObject())
                {
                    if (!_ownRoots.TryGetProperty(root.Key, out _))
                    {
                        entries.Add(root);
                    }
                }

                _scope = Value.Object(entries);
            }

            return _scope;
        }
    }

    /// <summary>One root of <see cref="Scope"/> (<c>item</c>, <c>index</c>, <c>nodes</c>, <c>vars</c>), read without building it.</summary>
    public bool TryGetScopeRoot(string name, out Value value)
    {
        if (_splitScope)
        {
            return _ownRoots.TryGetProperty(name, out value) || _parentScope.TryGetProperty(name, out value);
        }

        return _scope.TryGetProperty(name, out value);
    }

    /// <summary>The parent of a child execution.</summary>
    public string? ParentExecutionId { get; private set; }

    /// <summary>The parent node that started a child execution.</summary>
    public string? ParentNodeId { get; private set; }

    /// <summary>When the execution started.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The outputs once it succeeded.</summary>
    public Value Outputs { get; private set; }

    /// <summary>Why it failed.</summary>
    public ErrorInfo? Error { get; private set; }

    /// <summary>The node whose failure failed the execution.</summary>
    public string? FailedNodeId { get; private set; }

    /// <summary>The sequence of the last applied event (0 when empty).</summary>
    public long LastSequence { get; private set; }

    /// <summary>Nodes running or waiting on a timer.</summary>
    public int ActiveNodes { get; private set; }

    /// <summary>Nodes that can no longer change.</summary>
    public int ResolvedNodes { get; private set; }

    /// <summary>Whether the execution has ended (succeeded, failed or cancelled).</summary>
    public bool IsFinished => Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled;

    /// <summary>Node states by id (only nodes seen in the log when replayed without a graph).</summary>
    public IReadOnlyDictionary<string, NodeState> Nodes
    {
        get
        {
            // With a graph, lookups go through the graph's index; the dictionary is only built when asked for.
            if (_nodes is null)
            {
                _nodes = new Dictionary<string, NodeState>(NodeArray.Length, StringComparer.Ordinal);
                foreach (var node in NodeArray)
                {
                    _nodes.Add(node.NodeId, node);
                }
            }

            return _nodes;
        }
    }

    /// <summary>Node states by graph index (empty without a graph).</summary>
    public IReadOnlyList<NodeState> NodesByIndex => NodeArray;

    internal NodeState[] NodeArray { get; private set; }

    /// <summary>Nodes waiting on a timer (a retry delay or a sleep), with <see cref="NodeState.DueAt"/> set; computed by a scan.</summary>
    public IEnumerable<NodeState> PendingTimers =>
        (Graph is null ? Nodes.Values : (IEnumerable<NodeState>)NodeArray).Where(n => n.Status == NodeStatus.Waiting && n.DueAt is not null);

    /// <summary>Current variables.</summary>
    public IReadOnlyDictionary<string, Value> Variables => _variables ?? (IReadOnlyDictionary<string, Value>)System.Collections.Frozen.FrozenDictionary<string, Value>.Empty;

    /// <summary>Variables as one object value (cached until the next assignment).</summary>
    public Value VariablesValue
    {
        get
        {
            if (_variablesDirty)
            {
                _variablesValue = _variableOrder is null ? Value.From(ValueObject.Empty) : Value.Object(_variableOrder.Select(n => new KeyValuePair<string, Value>(n, _variables![n])));
                _variablesDirty = false;
            }

            return _variablesValue;
        }
    }

    /// <summary>The <c>execution</c> root: <c>{ id, workflowId, startedAt }</c>.</summary>
    public Value ExecutionValue
    {
        get
        {
            // Built when an expression first reads it: most executions never do, and the timestamp text is costly.
            if (_executionValue.IsNull && StartedAt is { } startedAt)
            {
                _executionValue = Value.Object(("id", ExecutionId), ("workflowId", WorkflowId), ("startedAt", startedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            }

            return _executionValue;
        }
    }

    /// <summary>Folds a whole log without a graph (enough for reports).</summary>
    public static ExecutionState Replay(IEnumerable<ExecutionEvent> events) => Replay(events, null);

    /// <summary>Folds a whole log; with a graph the result can drive the decider.</summary>
    public static ExecutionState Replay(IEnumerable<ExecutionEvent> events, CompiledGraph? graph) => Replay(events, graph, default, default);

    /// <summary>Folds a map item's log with the parent context it does not record (see <see cref="ProvideParentContext"/>).</summary>
    public static ExecutionState Replay(IEnumerable<ExecutionEvent> events, CompiledGraph? graph, Value parentInputs, Value parentScope)
    {
        ArgumentNullException.ThrowIfNull(events);
        var state = new ExecutionState(graph);
        state.ProvideParentContext(parentInputs, parentScope);
        foreach (var e in events)
        {
            state.Apply(e);
        }

        return state;
    }

    /// <summary>Gets the node state, or null when the node is unknown.</summary>
    public NodeState? GetNode(string nodeId)
    {
        if (Graph is null)
        {
            return _nodes?.GetValueOrDefault(nodeId);
        }

        var index = IndexOf(nodeId);
        return index < 0 ? null : NodeArray[index];
    }

    /// <summary>
    /// The index of a node of <see cref="Graph"/>, or -1. An event names the node the one before it named more often than
    /// not (a start, then its result; the fold, then the decider): that one is recognised by reference, without a lookup.
    /// </summary>
    internal int IndexOf(string nodeId)
    {
        var last = _lastIndex;
        var nodes = NodeArray;
        if ((uint)last < (uint)nodes.Length && ReferenceEquals(nodes[last].NodeId, nodeId))
        {
            return last;
        }

        var index = Graph!.IndexOf(nodeId);
        _lastIndex = index;
        return index;
    }

    /// <summary>Applies the next event of the log.</summary>
    /// <exception cref="InvalidOperationException">The event is out of sequence or belongs to another execution.</exception>
    public void Apply(ExecutionEvent executionEvent)
    {
        ArgumentNullException.ThrowIfNull(executionEvent);
        if (executionEvent.Sequence != LastSequence + 1)
        {
            throw new InvalidOperationException($"Event sequence {executionEvent.Sequence} does not follow {LastSequence}.");
        }

        if (LastSequence > 0 && !string.Equals(executionEvent.ExecutionId, ExecutionId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Event of execution '{executionEvent.ExecutionId}' applied to '{ExecutionId}'.");
        }

        LastSequence = executionEvent.Sequence;
        switch (executionEvent)
        {
            case ExecutionStarted e:
                OnStarted(e);
                break;
            case NodeStarted e:
                OnNodeStarted(e);
                break;
            case NodeSucceeded e:
                {
                    var node = Node(e.NodeId);
                    node.Attempt = e.Attempt;
                    node.Output = e.Output;
                    node.Branch = e.Branch;
                    node.Error = null;
                    Resolve(node, NodeStatus.Succeeded, e.Timestamp);
                    break;
                }

            case NodeFailed e:
                OnNodeFailed(e);
                break;
            case NodeRetryScheduled e:
                {
                    var node = Node(e.NodeId);
                    node.DueAt = e.DueAt;
                    node.WaitingOnTimer = false;
                    break;
                }

            case NodeSkipped e:
                {
                    var node = Node(e.NodeId);
                    node.SkipReason = e.Reason;
                    Resolve(node, NodeStatus.Skipped, e.Timestamp);
                    break;
                }

            case NodeCancelled e:
                Resolve(Node(e.NodeId), NodeStatus.Cancelled, e.Timestamp);
                break;
            case TimerScheduled e:
                {
                    var node = Node(e.NodeId);
                    SetActive(node, NodeStatus.Waiting);
                    node.DueAt = e.DueAt;
                    node.WaitingOnTimer = true;
                    break;
                }

            case TimerFired e:
                {
                    var node = Node(e.NodeId);
                    SetActive(node, NodeStatus.Running);
                    node.DueAt = null;
                    node.WaitingOnTimer = false;
                    break;
                }

            case SignalReceived e:
                (_deliveredSignals ??= []).Add(e.SignalId);
                break;
            case VariablesAssigned e:
                foreach (var (name, value) in e.Values.Kind == ValueKind.Object ? e.Values.AsObject() : ValueObject.Empty)
                {
                    SetVariable(name, value);
                }

                break;
            case ExecutionCancelRequested:
                if (!IsFinished)
                {
                    Status = ExecutionStatus.Cancelling;
                }

                break;
            case ExecutionPaused:
                if (Status == ExecutionStatus.Running)
                {
                    Status = ExecutionStatus.Paused;
                }

                break;
            case ExecutionResumed:
                if (Status == ExecutionStatus.Paused)
                {
                    Status = ExecutionStatus.Running;
                }

                break;
            case ExecutionRetried e:
                OnRetried(e);
                break;
            case ExecutionCompleted e:
                Status = ExecutionStatus.Succeeded;
                Outputs = e.Outputs;
                FinishedAt = e.Timestamp;
                break;
            case ExecutionFailed e:
                Status = ExecutionStatus.Failed;
                Error = e.Error;
                FailedNodeId = e.NodeId;
                FinishedAt = e.Timestamp;
                break;
            case ExecutionCancelled e:
                Status = ExecutionStatus.Cancelled;
                FinishedAt = e.Timestamp;
                break;
            default:
                throw new InvalidOperationException($"Unknown event type {executionEvent.GetType().Name}.");
        }
    }
}
