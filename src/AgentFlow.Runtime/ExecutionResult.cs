using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime;

/// <summary>How an execution ended.</summary>
/// <param name="Status">Succeeded, Failed or Cancelled.</param>
/// <param name="Outputs">The workflow outputs when it succeeded; null otherwise.</param>
/// <param name="Error">Why it failed; null otherwise.</param>
/// <param name="FailedNodeId">The node whose failure failed the workflow, when there is one.</param>
public sealed record ExecutionResult(string ExecutionId, ExecutionStatus Status, Value Outputs, ErrorInfo? Error, string? FailedNodeId);
