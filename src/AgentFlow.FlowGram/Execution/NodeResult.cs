using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Execution;

/// <summary>What an executor returns: outputs and, for condition nodes, the chosen port.</summary>
internal sealed record NodeResult(JsObject Outputs, string? Branch = null);
