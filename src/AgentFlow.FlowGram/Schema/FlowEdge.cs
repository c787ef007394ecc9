namespace AgentFlow.FlowGram.Schema;

/// <summary>An edge of a flattened document; only the source port has meaning (§1.3).</summary>
internal sealed record FlowEdge(FlowNode From, FlowNode To, string SourcePort);
