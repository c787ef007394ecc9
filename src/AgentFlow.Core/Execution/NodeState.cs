using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

/// <summary>The folded state of one node. Written only by <see cref="ExecutionState.Apply"/>.</summary>
public sealed class NodeState
{
    // Times without a nullable wrapper (a node state is made per node per execution, map items included): MinValue,
    // which no clock reports, stands for "not yet".
    private static readonly DateTimeOffset Unset = DateTimeOffset.MinValue;
    private ValueObject? _scopeValue;
    private DateTimeOffset _startedAt = Unset;
    private DateTimeOffset _finishedAt = Unset;
    private DateTimeOffset _dueAt = Unset;

    internal NodeState(string nodeId, int index)
    {
        NodeId = nodeId;
        Index = index;
    }

    /// <summary>The node id.</summary>
    public string NodeId { get; private set; }

    /// <summary>The node's index in the compiled graph, or -1 when the state was replayed without one.</summary>
    public int Index { get; }

    /// <summary>Where the node stands.</summary>
    public NodeStatus Status { get; internal set; }

    /// <summary>The latest attempt number (0 before the first start).</summary>
    public int Attempt { get; internal set; }

    /// <summary>
    /// The attempt number the node had when an <see cref="ExecutionRetried"/> reopened it (0 otherwise): its retry
    /// policy counts attempts from there, so a retried node gets its whole retry budget again.
    /// </summary>
    public int AttemptBase { get; internal set; }

    /// <summary>The resolved parameters of the latest attempt.</summary>
    public Value Parameters { get; internal set; }

    /// <summary>The output (or the continue/fallback output after a final failure).</summary>
    public Value Output { get; internal set; }

    /// <summary>The error of the latest failed attempt.</summary>
    public ErrorInfo? Error { get; internal set; }

    /// <summary>The branch a condition or switch node chose.</summary>
    public string? Branch { get; internal set; }

    /// <summary>Why the node was skipped.</summary>
    public string? SkipReason { get; internal set; }

    /// <summary>When the first attempt started.</summary>
    public DateTimeOffset? StartedAt
    {
        get => _startedAt == Unset ? null : _startedAt;
        internal set => _startedAt = value ?? Unset;
    }

    /// <summary>When the node was resolved.</summary>
    public DateTimeOffset? FinishedAt
    {
        get => _finishedAt == Unset ? null : _finishedAt;
        internal set => _finishedAt = value ?? Unset;
    }

    /// <summary>When waiting: when the retry or sleep timer is due.</summary>
    public DateTimeOffset? DueAt
    {
        get => _dueAt == Unset ? null : _dueAt;
        internal set => _dueAt = value ?? Unset;
    }

    /// <summary>When waiting: true for a sleep timer, false for a retry delay.</summary>
    public bool WaitingOnTimer { get; internal set; }

    /// <summary>True once the node can no longer change (succeeded, finally failed, skipped, cancelled).</summary>
    public bool IsResolved => Status is NodeStatus.Succeeded or NodeStatus.Failed or NodeStatus.Skipped or NodeStatus.Cancelled;

    /// <summary>Incoming edges whose source is not resolved yet (maintained only when the state has a graph).</summary>
    internal int UnresolvedIncoming { get; set; }

    /// <summary>
    /// The node as expressions see it (<c>nodes.ID</c>): <c>{ output, status, error, attempts, branch }</c>.
    /// Built once per change and cached, because many expressions may read it.
    /// </summary>
    public Value ToScopeValue()
    {
        _scopeValue ??= ValueObject.FromDistinctEntries(
            [
                new("output", Output),
                new("status", StatusName(Status)),
                new("error", Error is null ? Value.Null : Error.ToValue()),
                new("attempts", Attempt),
                new("branch", Branch),
            ]);
        return Value.From(_scopeValue);
    }

    internal void Invalidate() => _scopeValue = null;

    /// <summary>Serves the node at the same index of another graph (see <see cref="ExecutionState.Reset(CompiledGraph)"/>); a reset follows.</summary>
    internal void Rename(string nodeId) => NodeId = nodeId;

    // The fold's hot steps, on the fields themselves rather than through the nullable properties.
    internal void MarkStarted(DateTimeOffset at)
    {
        if (_startedAt == Unset)
        {
            _startedAt = at;
        }

        _dueAt = Unset;
    }

    internal void MarkResolved(DateTimeOffset at)
    {
        _finishedAt = at;
        _dueAt = Unset;
    }

    /// <summary>Back to a node no event has named yet (see <see cref="ExecutionState.Reset(CompiledGraph)"/>).</summary>
    internal void Reset(int unresolvedIncoming)
    {
        _scopeValue = null;
        _startedAt = Unset;
        _finishedAt = Unset;
        _dueAt = Unset;
        Status = NodeStatus.Pending;
        Attempt = 0;
        AttemptBase = 0;
        Parameters = default;
        Output = default;
        Error = null;
        Branch = null;
        SkipReason = null;
        WaitingOnTimer = false;
        UnresolvedIncoming = unresolvedIncoming;
    }

    internal static string StatusName(NodeStatus status) => status switch
    {
        NodeStatus.Pending => "pending",
        NodeStatus.Running => "running",
        NodeStatus.Waiting => "waiting",
        NodeStatus.Succeeded => "succeeded",
        NodeStatus.Failed => "failed",
        NodeStatus.Skipped => "skipped",
        _ => "cancelled",
    };
}
