using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Expressions;

namespace AgentFlow.Core.Definitions;

/// <summary>A dependency: <paramref name="To"/> may run after <paramref name="From"/>.</summary>
/// <param name="From">The upstream node id.</param>
/// <param name="To">The downstream node id.</param>
/// <param name="Branch">For an edge leaving a condition or switch node, the branch it belongs to; the edge is taken only when that branch is chosen.</param>
/// <param name="When">An optional condition evaluated when <paramref name="From"/> completes; the edge is taken only when it is truthy.</param>
public sealed record EdgeDefinition(string From, string To, string? Branch, Expression? When, SourceLocation Location);
