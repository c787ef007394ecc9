using AgentFlow.Core.Expressions.Syntax;

namespace AgentFlow.Core.Expressions.Parsing;

/// <summary>Maps binary operator tokens to their precedence and operator.</summary>
internal static class OperatorTable
{
    public static int BinaryPrecedence(TokenKind kind) => kind switch
    {
        TokenKind.QuestionQuestion => Precedence.Coalesce,
        TokenKind.PipePipe => Precedence.Or,
        TokenKind.AmpAmp => Precedence.And,
        TokenKind.EqualEqual or TokenKind.BangEqual => Precedence.Equality,
        TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual => Precedence.Relational,
        TokenKind.Plus or TokenKind.Minus => Precedence.Additive,
        TokenKind.Star or TokenKind.Slash or TokenKind.Percent => Precedence.Multiplicative,
        _ => 0,
    };

    public static BinaryOperator BinaryOperatorOf(TokenKind kind) => kind switch
    {
        TokenKind.Plus => BinaryOperator.Add,
        TokenKind.Minus => BinaryOperator.Subtract,
        TokenKind.Star => BinaryOperator.Multiply,
        TokenKind.Slash => BinaryOperator.Divide,
        TokenKind.Percent => BinaryOperator.Remainder,
        TokenKind.EqualEqual => BinaryOperator.Equal,
        TokenKind.BangEqual => BinaryOperator.NotEqual,
        TokenKind.Less => BinaryOperator.Less,
        TokenKind.LessEqual => BinaryOperator.LessOrEqual,
        TokenKind.Greater => BinaryOperator.Greater,
        _ => BinaryOperator.GreaterOrEqual,
    };
}
