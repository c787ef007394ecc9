using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary>A node of the expression tree; immutable, so one tree serves concurrent evaluations.</summary>
internal abstract class ExprNode
{
    /// <summary>Binding strength used by the printer to decide where parentheses are needed.</summary>
    public abstract int Precedence { get; }

    public abstract Value Evaluate(in EvalContext context);
}
