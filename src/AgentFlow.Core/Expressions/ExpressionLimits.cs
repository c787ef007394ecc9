namespace AgentFlow.Core.Expressions;

/// <summary>Bounds that keep a hostile or runaway expression from exhausting the stack or memory.</summary>
internal static class ExpressionLimits
{
    /// <summary>Longest expression text, in characters (a parse error past it).</summary>
    public const int MaxTextLength = 8 * 1024;

    /// <summary>Deepest nesting of sub-expressions (a parse error past it); keeps parser and evaluator recursion shallow.</summary>
    public const int MaxDepth = 64;

    /// <summary>Longest string an operator or function may produce, in UTF-16 code units.</summary>
    public const int MaxStringLength = 1024 * 1024;

    /// <summary>Most items an operator or function may produce in one array.</summary>
    public const int MaxArrayItems = 100_000;
}
