using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Expressions;

namespace AgentFlow.Core.Definitions;

/// <summary>One case of a condition or switch node; the first whose condition is truthy is chosen.</summary>
/// <param name="Name">The branch name that edges refer to (e.g. <c>route.high</c>).</param>
/// <param name="When">The condition; null for the default branch.</param>
public sealed record BranchDefinition(string Name, Expression? When, SourceLocation Location);
