namespace AgentFlow.Core.Expressions.Syntax;

/// <summary>Binding strengths, lowest first; shared by parser and printer so they cannot disagree.</summary>
internal static class Precedence
{
    public const int Conditional = 1;
    public const int Coalesce = 2;
    public const int Or = 3;
    public const int And = 4;
    public const int Equality = 5;
    public const int Relational = 6;
    public const int Additive = 7;
    public const int Multiplicative = 8;
    public const int Unary = 9;
    public const int Postfix = 10;
    public const int Primary = 11;
}
