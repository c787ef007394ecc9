namespace AgentFlow.Core.Expressions;

/// <summary>A syntax error in an expression or template.</summary>
/// <param name="Message">What is wrong.</param>
/// <param name="Column">1-based column within the text that was parsed (for templates, within the whole string).</param>
/// <param name="Hint">How to fix it, when known.</param>
public sealed record ExpressionError(string Message, int Column, string? Hint = null);
