using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Execution;

/// <summary>Everything an executor receives for one node execution.</summary>
internal sealed class NodeRun
{
    public required FlowNode Node { get; init; }

    /// <summary>The node's resolved inputs (§1.8).</summary>
    public required JsObject Inputs { get; init; }

    /// <summary>The variables the node can read: declared outputs of completed nodes, globals, loop locals.</summary>
    public required VariableStore Store { get; init; }

    /// <summary>The raw workflow inputs (the start node's outputs).</summary>
    public required JsObject WorkflowInputs { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Set by executors whose snapshot shows other inputs than <see cref="Inputs"/> (http, §2.9).</summary>
    public JsObject? SnapshotInputs { get; set; }
}
