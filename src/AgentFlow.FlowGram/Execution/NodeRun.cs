using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Executors;
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

    /// <summary>The raw workflow inputs (the start node's outputs), converted on first read: only start reads them.</summary>
    public JsObject WorkflowInputs => _workflowInputs ??= VariableCodec.ObjectFromValue(EncodedWorkflowInputs);

    /// <summary>The workflow inputs as the runtime passed them (the <c>inputs</c> parameter, start only).</summary>
    public Value EncodedWorkflowInputs { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Set by executors whose snapshot shows other inputs than <see cref="Inputs"/> (http, §2.9).</summary>
    public JsObject? SnapshotInputs { get; set; }

    private JsObject? _workflowInputs;
}
