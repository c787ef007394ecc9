namespace AgentFlow.Core.Expressions;

/// <summary>A root an expression reads, found statically at parse time.</summary>
/// <param name="Root">The root identifier: <c>inputs</c>, <c>nodes</c>, <c>vars</c>, <c>item</c>, ...</param>
/// <param name="Member">The first member after the root when it is a plain name (<c>nodes.fetch</c> gives <c>fetch</c>), else null.</param>
/// <param name="Column">1-based column of the root within the expression text.</param>
public sealed record ExpressionReference(string Root, string? Member, int Column);
