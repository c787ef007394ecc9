using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Executors;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Execution;

/// <summary>Everything an executor receives for one node execution.</summary>
internal sealed class NodeRun
{
    public required FlowNode Node { get; init; }

    /// <summary>The node's resolved inputs (§1.8); for a node that declares none, an empty object made on first read.</summary>
    public JsObject Inputs
    {
        get => _inputs ??= [];
        init => _inputs = value;
    }

    /// <summary>The variables the node can read: declared outputs of completed nodes, globals, loop locals.</summary>
    /// <remarks>Decoded from <see cref="EncodedRefs"/> on first read when not given: most nodes read none.</remarks>
    public VariableStore Store
    {
        get => _store ??= VariableCodec.Store(EncodedRefs);
        init => _store = value;
    }

    /// <summary>The variables as the runtime passed them (the <c>refs</c> parameter).</summary>
    public Value EncodedRefs { get; init; }

    /// <summary>The raw workflow inputs (the start node's outputs), converted on first read: only start reads them.</summary>
    public JsObject WorkflowInputs => _workflowInputs ??= VariableCodec.ObjectFromValue(EncodedWorkflowInputs);

    /// <summary>The workflow inputs as the runtime passed them (the <c>inputs</c> parameter, start only).</summary>
    public Value EncodedWorkflowInputs { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Set by executors whose snapshot shows other inputs than <see cref="Inputs"/> (http, §2.9).</summary>
    public JsObject? SnapshotInputs { get; set; }

    /// <summary>The inputs the snapshot shows: <see cref="SnapshotInputs"/>, else the inputs; null when neither was made (none).</summary>
    public JsObject? ShownInputs => SnapshotInputs ?? _inputs;

    private JsObject? _workflowInputs;
    private JsObject? _inputs;
    private VariableStore? _store;
}
