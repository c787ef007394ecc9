using System.Runtime.CompilerServices;
using AgentFlow.Core.Expressions.Functions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary>A call of a built-in function; the parser has already checked the name and the argument count.</summary>
internal sealed class CallNode(FunctionDefinition function, ExprNode[] arguments) : ExprNode
{
    public FunctionDefinition Function { get; } = function;

    public IReadOnlyList<ExprNode> Arguments => arguments;

    public override int Precedence => Syntax.Precedence.Primary;

    public override Value Evaluate(in EvalContext context)
    {
        // Most calls have few arguments: evaluate them into a stack buffer instead of allocating an array per call.
        if (arguments.Length <= ArgumentBuffer.Capacity)
        {
            var buffer = default(ArgumentBuffer);
            Span<Value> span = buffer;
            span = span[..arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                span[i] = arguments[i].Evaluate(context);
            }

            return Function.Body(span, context);
        }

        var values = new Value[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            values[i] = arguments[i].Evaluate(context);
        }

        return Function.Body(values, context);
    }

    [InlineArray(Capacity)]
    private struct ArgumentBuffer
    {
        public const int Capacity = 4;

        private Value _first;
    }
}
