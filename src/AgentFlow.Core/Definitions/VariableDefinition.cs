using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Definitions;

/// <summary>A workflow variable (read as <c>vars.NAME</c>, written by <c>assign</c> nodes) and its initial value.</summary>
public sealed record VariableDefinition(string Name, Value Initial, SourceLocation Location);
