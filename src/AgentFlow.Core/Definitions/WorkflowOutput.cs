using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Expressions;

namespace AgentFlow.Core.Definitions;

/// <summary>A named output of a workflow, computed when the workflow completes.</summary>
public sealed record WorkflowOutput(string Name, ValueTemplate Value, SourceLocation Location);
