namespace AgentFlow.Core.Expressions.Syntax;

internal enum BinaryOperator : byte
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
