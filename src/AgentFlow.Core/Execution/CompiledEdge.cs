using AgentFlow.Core.Expressions;

namespace AgentFlow.Core.Execution;

/// <summary>An edge with its endpoints resolved to node indexes.</summary>
internal sealed record CompiledEdge(int From, int To, string? Branch, Expression? When);
