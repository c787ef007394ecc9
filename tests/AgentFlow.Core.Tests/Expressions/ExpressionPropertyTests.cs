using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Expressions;

/// <summary>Property-style tests over seeded random trees: the parser agrees with the spec's precedence table and the printer round-trips.</summary>
public sealed class ExpressionPropertyTests
{
    private const int Cases = 1500;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Evaluate_RandomOperatorTrees_MatchReferenceEvaluation(int seed)
    {
        var generator = new RandomExpressionGenerator(seed, richNodes: false);
        var scope = TestScope.Standard();
        var (failures, total) = (0, 0);
        for (var i = 0; i < Cases; i++)
        {
            // Every subtree is checked: near the root, ==, && and ! often mask a wrong grouping further down.
            foreach (var tree in RandomExpressionGenerator.SelfAndDescendants(generator.Next(5)))
            {
                total++;
                failures += CheckAgainstReference(tree, $"seed {seed} case {i}", scope) ? 0 : 1;
            }
        }

        // Both outcomes must be exercised, or the property proves little.
        Assert.InRange(failures, total / 10, total - (total / 10));
    }

    /// <summary>Asserts the parsed expression evaluates as the reference does; returns false when both agree it is an error.</summary>
    private static bool CheckAgainstReference(TestNode tree, string label, TestScope scope)
    {
        var text = RandomExpressionGenerator.Print(tree);
        var expression = Parse(text);
        Value expected;
        try
        {
            expected = Reference(tree);
        }
        catch (InvalidOperationException)
        {
            Assert.Throws<ExpressionEvaluationException>(() => expression.Evaluate(scope));
            return false;
        }

        var actual = expression.Evaluate(scope);
        Assert.True(expected.Equals(actual), $"{label}: '{text}' gave {actual.ToJson()} but the reference gives {expected.ToJson()}");
        return true;
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void ToCanonicalString_RandomTrees_MatchesMinimalPrintAndRoundTrips(int seed)
    {
        var generator = new RandomExpressionGenerator(seed, richNodes: true);
        for (var i = 0; i < Cases; i++)
        {
            var tree = generator.Next(5);
            var minimal = RandomExpressionGenerator.Print(tree);
            var full = RandomExpressionGenerator.Print(tree, fullyParenthesised: true);
            var canonical = Parse(minimal).ToCanonicalString();
            Assert.Equal(minimal, canonical);
            Assert.Equal(canonical, Parse(canonical).ToCanonicalString());
            Assert.Equal(minimal, Parse(full).ToCanonicalString());
        }
    }

    [Theory]
    [InlineData("a + (b + c)", "a + (b + c)")]
    [InlineData("(a + b) + c", "a + b + c")]
    [InlineData("(a ? b : c) ? d : e", "(a ? b : c) ? d : e")]
    [InlineData("a ? (b ? c : d) : (e ? f : g)", "a ? b ? c : d : e ? f : g")]
    [InlineData("-(a.b)", "-a.b")]
    [InlineData("(-a).b", "(-a).b")]
    [InlineData("!(a && b)", "!(a && b)")]
    [InlineData("(a ?? b) ?? c", "a ?? b ?? c")]
    [InlineData("inputs['x']", "inputs['x']")]
    [InlineData("nodes['a-b'].output", "nodes['a-b'].output")]
    [InlineData("{'plain': 1, 'with space': 'it\\'s'}", "{plain: 1, 'with space': 'it\\'s'}")]
    [InlineData("\"dq\"", "'dq'")]
    public void ToCanonicalString_KnownShapes_UsesMinimalParentheses(string text, string expected) =>
        Assert.Equal(expected, Parse(text).ToCanonicalString());

    private static Expression Parse(string text)
    {
        Assert.True(Expression.TryParse(text, out var expression, out var error), $"'{text}' did not parse: {error}");
        return expression;
    }

    /// <summary>Direct C# evaluation of the spec's semantics; throws <see cref="InvalidOperationException"/> where the spec says "error".</summary>
    private static Value Reference(TestNode node) => node switch
    {
        TestLiteral { Value: null } => Value.Null,
        TestLiteral { Value: bool b } => b,
        TestLiteral { Value: double d } => d,
        TestLiteral { Value: string s } => s,
        TestUnary { Op: "!" } u => !Reference(u.Operand).IsTruthy,
        TestUnary u => -Number(Reference(u.Operand)),
        TestConditional c => Reference(c.Condition).IsTruthy ? Reference(c.WhenTrue) : Reference(c.WhenFalse),
        TestBinary { Op: "&&" } b => Reference(b.Left).IsTruthy && Reference(b.Right).IsTruthy,
        TestBinary { Op: "||" } b => Reference(b.Left).IsTruthy || Reference(b.Right).IsTruthy,
        TestBinary { Op: "??" } b => Reference(b.Left) is { IsNull: false } left ? left : Reference(b.Right),
        TestBinary b => Eager(b.Op, Reference(b.Left), Reference(b.Right)),
        _ => throw new NotSupportedException(node.ToString()),
    };

    private static Value Eager(string op, Value left, Value right)
    {
        switch (op)
        {
            case "==":
                return left.Equals(right);
            case "!=":
                return !left.Equals(right);
            case "+" when left.Kind == ValueKind.String || right.Kind == ValueKind.String:
                return Text(left) + Text(right);
            case "<" or "<=" or ">" or ">=" when left.Kind == ValueKind.String && right.Kind == ValueKind.String:
                var order = string.CompareOrdinal(left.AsString(), right.AsString());
                return op switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
        }

        var (a, b) = (Number(left), Number(right));
        return op switch
        {
            "<" => a < b,
            "<=" => a <= b,
            ">" => a > b,
            ">=" => a >= b,
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" => b == 0 ? throw new InvalidOperationException("division by zero") : a / b,
            "%" => b == 0 ? throw new InvalidOperationException("division by zero") : a % b,
            _ => throw new NotSupportedException(op),
        };
    }

    private static double Number(Value value) =>
        value.Kind == ValueKind.Number ? value.AsNumber() : throw new InvalidOperationException("not a number");

    private static string Text(Value value) => value.Kind switch
    {
        ValueKind.Null => string.Empty,
        ValueKind.String => value.AsString(),
        ValueKind.Boolean => value.AsBoolean() ? "true" : "false",
        _ => Value.FormatNumber(value.AsNumber()),
    };
}
