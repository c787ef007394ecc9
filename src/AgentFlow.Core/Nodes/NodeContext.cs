using AgentFlow.Core.Definitions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Nodes;

/// <summary>Everything a node executor receives for one attempt.</summary>
public sealed class NodeContext
{
    public required string ExecutionId { get; init; }

    public required NodeDefinition Node { get; init; }

    /// <summary>1-based attempt number.</summary>
    public required int Attempt { get; init; }

    /// <summary>The node's parameters, resolved against the execution scope (an object).</summary>
    public required Value Parameters { get; init; }

    /// <summary><c>executionId/nodeId/attempt</c>: stable across re-dispatch after a crash; send it to external systems.</summary>
    /// <remarks>Derived on first read when not set, so nodes that never read it (the common no-op case) cost no string.</remarks>
    public string IdempotencyKey
    {
        get => _idempotencyKey ??= string.Concat(ExecutionId, "/", Node.Id, "/", Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        init => _idempotencyKey = value;
    }

    private string? _idempotencyKey;

    public required TimeProvider Time { get; init; }

    /// <summary>Receives partial output (such as LLM tokens) for live subscribers; not stored in the log.</summary>
    public INodeProgress Progress { get; init; } = NullNodeProgress.Instance;

    /// <summary>Runtime services for executors that need more (child workflows, HTTP clients).</summary>
    public IServiceProvider? Services { get; init; }
}
