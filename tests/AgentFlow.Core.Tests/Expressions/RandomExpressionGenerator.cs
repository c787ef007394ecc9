using System.Globalization;
using System.Text;

namespace AgentFlow.Core.Tests.Expressions;

/// <summary>A tiny expression tree the tests own, so the printer and reference evaluator are independent of the production ones.</summary>
internal abstract record TestNode;

internal sealed record TestLiteral(object? Value) : TestNode;

internal sealed record TestUnary(string Op, TestNode Operand) : TestNode;

internal sealed record TestBinary(string Op, TestNode Left, TestNode Right) : TestNode;

internal sealed record TestConditional(TestNode Condition, TestNode WhenTrue, TestNode WhenFalse) : TestNode;

internal sealed record TestPath(string Root, string[] Members) : TestNode;

internal sealed record TestIndex(TestNode Target, TestNode Index) : TestNode;

internal sealed record TestCall(string Name, TestNode[] Arguments) : TestNode;

internal sealed record TestArray(TestNode[] Items) : TestNode;

internal sealed record TestObject(string[] Keys, TestNode[] Values) : TestNode;

/// <summary>Seeded generator and printer for property-style tests (no FsCheck here).</summary>
internal sealed class RandomExpressionGenerator(int seed, bool richNodes)
{
    private static readonly string[] BinaryOperators = ["??", "||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"];
    private static readonly double[] Numbers = [0, 1, 2, 3, 7, 10, 0.5, 2.25, 1e21, 1e-7];
    private static readonly string[] Strings = ["", "a", "b", "it's", "line\nbreak", "back\\slash", "tab\t", "é"];
    private readonly Random _random = new(seed);

    /// <summary>The spec's precedence table, written out independently of the production code.</summary>
    public static int PrecedenceOf(TestNode node) => node switch
    {
        TestConditional => 1,
        TestBinary b => b.Op switch
        {
            "??" => 2,
            "||" => 3,
            "&&" => 4,
            "==" or "!=" => 5,
            "<" or "<=" or ">" or ">=" => 6,
            "+" or "-" => 7,
            _ => 8,
        },
        TestUnary => 9,
        TestPath { Members.Length: > 0 } or TestIndex => 10,
        _ => 11,
    };

    /// <summary>The node and all its descendants, so a property can be checked where a wrong result is not yet masked.</summary>
    public static IEnumerable<TestNode> SelfAndDescendants(TestNode node)
    {
        yield return node;
        var children = node switch
        {
            TestUnary u => [u.Operand],
            TestBinary b => [b.Left, b.Right],
            TestConditional c => [c.Condition, c.WhenTrue, c.WhenFalse],
            TestIndex i => [i.Target, i.Index],
            TestCall call => call.Arguments,
            TestArray a => a.Items,
            TestObject o => o.Values,
            _ => System.Array.Empty<TestNode>(),
        };
        foreach (var descendant in children.SelectMany(SelfAndDescendants))
        {
            yield return descendant;
        }
    }

    public TestNode Next(int depth)
    {
        if (depth <= 0 || _random.Next(5) == 0)
        {
            return Leaf();
        }

        var choice = _random.Next(richNodes ? 12 : 8);
        switch (choice)
        {
            case 0:
                return new TestUnary(_random.Next(2) == 0 ? "!" : "-", Next(depth - 1));
            case 1:
                return new TestConditional(Next(depth - 1), Next(depth - 1), Next(depth - 1));
            case < 8:
                // Half the operators are arithmetic so numeric results (where precedence mistakes show) stay common.
                var op = _random.Next(2) == 0 ? BinaryOperators[_random.Next(BinaryOperators.Length)] : BinaryOperators[^(1 + _random.Next(5))];
                return new TestBinary(op, Next(depth - 1), Next(depth - 1));
            case 8:
                return new TestIndex(Postfixable(depth - 1), Next(depth - 1));
            case 9:
                return new TestCall(_random.Next(2) == 0 ? "coalesce" : "max", [.. Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => Next(depth - 1))]);
            case 10:
                return new TestArray([.. Enumerable.Range(0, _random.Next(3)).Select(_ => Next(depth - 1))]);
            default:
                // Keys stay unique: "k" first, then names ending in their distinct position number.
                var keys = Enumerable.Range(0, _random.Next(3)).Select(i => i == 0 ? "k" : Strings[_random.Next(Strings.Length)] + i).ToArray();
                return new TestObject(keys, [.. keys.Select(_ => Next(depth - 1))]);
        }
    }

    private TestNode Postfixable(int depth) => _random.Next(3) switch
    {
        0 => new TestPath("inputs", ["list"]),
        1 => new TestArray([Next(depth), Next(depth)]),
        _ => new TestPath("nodes", ["n1", "output"]),
    };

    private TestNode Leaf()
    {
        var kinds = richNodes ? 8 : 6;
        return _random.Next(kinds) switch
        {
            < 4 => new TestLiteral(Numbers[_random.Next(Numbers.Length)]),
            4 => new TestLiteral(_random.Next(2) == 0),
            5 => _random.Next(3) == 0 ? new TestLiteral(null) : new TestLiteral(Strings[_random.Next(3)]),
            6 => new TestLiteral(Strings[_random.Next(Strings.Length)]),
            _ => new TestPath(_random.Next(2) == 0 ? "inputs" : "vars", _random.Next(3) switch { 0 => [], 1 => ["a"], _ => ["a", "b"] }),
        };
    }

    /// <summary>Prints with minimal parentheses (or with every compound operand parenthesised) in the production printer's layout.</summary>
    public static string Print(TestNode node, bool fullyParenthesised = false)
    {
        var builder = new StringBuilder();
        Write(builder, node, fullyParenthesised);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, TestNode node, bool full)
    {
        switch (node)
        {
            case TestLiteral { Value: null }:
                builder.Append("null");
                break;
            case TestLiteral { Value: bool b }:
                builder.Append(b ? "true" : "false");
                break;
            case TestLiteral { Value: double d }:
                builder.Append(AgentFlow.Core.Values.Value.FormatNumber(d));
                break;
            case TestLiteral { Value: string s }:
                WriteString(builder, s);
                break;
            case TestUnary u:
                builder.Append(u.Op);
                Operand(builder, u.Operand, 9, full);
                break;
            case TestBinary b:
                var precedence = PrecedenceOf(b);
                Operand(builder, b.Left, precedence, full);
                builder.Append(' ').Append(b.Op).Append(' ');
                Operand(builder, b.Right, precedence + 1, full);
                break;
            case TestConditional c:
                Operand(builder, c.Condition, 2, full);
                builder.Append(" ? ");
                Operand(builder, c.WhenTrue, 0, full);
                builder.Append(" : ");
                Operand(builder, c.WhenFalse, 0, full);
                break;
            case TestPath p:
                builder.Append(p.Root);
                foreach (var member in p.Members)
                {
                    builder.Append('.').Append(member);
                }

                break;
            case TestIndex i:
                Operand(builder, i.Target, 10, full);
                builder.Append('[');
                Write(builder, i.Index, full);
                builder.Append(']');
                break;
            case TestCall call:
                builder.Append(call.Name).Append('(');
                List(builder, call.Arguments, full);
                builder.Append(')');
                break;
            case TestArray a:
                builder.Append('[');
                List(builder, a.Items, full);
                builder.Append(']');
                break;
            case TestObject o:
                builder.Append('{');
                for (var i = 0; i < o.Keys.Length; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ");
                    if (o.Keys[i].All(char.IsAsciiLetterOrDigit) && char.IsAsciiLetter(o.Keys[i][0]))
                    {
                        builder.Append(o.Keys[i]);
                    }
                    else
                    {
                        WriteString(builder, o.Keys[i]);
                    }

                    builder.Append(": ");
                    Write(builder, o.Values[i], full);
                }

                builder.Append('}');
                break;
        }
    }

    private static void List(StringBuilder builder, TestNode[] items, bool full)
    {
        for (var i = 0; i < items.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : ", ");
            Write(builder, items[i], full);
        }
    }

    private static void Operand(StringBuilder builder, TestNode operand, int minPrecedence, bool full)
    {
        var needs = PrecedenceOf(operand) < minPrecedence || (full && PrecedenceOf(operand) < 10);
        builder.Append(needs ? "(" : string.Empty);
        Write(builder, operand, full);
        builder.Append(needs ? ")" : string.Empty);
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('\'');
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\'' => "\\'",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        builder.Append('\'');
    }
}
