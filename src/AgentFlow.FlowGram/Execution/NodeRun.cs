using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Execution;

/// <summary>Everything an executor receives for one node execution.</summary>
internal sealed class NodeRun
{
    public required FlowNode Node { get; init; }

    public required JsObject Inputs { get; init; }

    public required FlowContext Context { get; init; }

    public required Snapshot Snapshot { get; init; }

    public required FlowEngine Engine { get; init; }
}
