using AgentFlow.Core.Values;
using static AgentFlow.Core.Tests.Expressions.ExpressionAssert;

namespace AgentFlow.Core.Tests.Expressions;

public sealed class ExpressionOperatorTests
{
    [Theory]
    [InlineData("1 + 2", 3d)]
    [InlineData("5 - 7", -2d)]
    [InlineData("6 * 7", 42d)]
    [InlineData("7 / 2", 3.5d)]
    [InlineData("7 % 3", 1d)]
    [InlineData("-7 % 3", -1d)]
    [InlineData("-5", -5d)]
    [InlineData("--5", 5d)]
    [InlineData("- -5", 5d)]
    [InlineData("1 - -1", 2d)]
    public void Evaluate_Arithmetic_ReturnsNumber(string text, double expected) => Evaluates(text, expected);

    [Theory]
    [InlineData("1 + 2 * 3", 7d)]
    [InlineData("(1 + 2) * 3", 9d)]
    [InlineData("10 - 4 - 3", 3d)]
    [InlineData("10 - (4 - 3)", 9d)]
    [InlineData("64 / 4 / 2", 8d)]
    [InlineData("2 * 3 % 4", 2d)]
    [InlineData("-2 * 3", -6d)]
    [InlineData("-(2 + 3)", -5d)]
    [InlineData("1 + 2 < 4 ? 10 : 20", 10d)]
    public void Evaluate_Precedence_GroupsAsDocumented(string text, double expected) => Evaluates(text, expected);

    [Theory]
    [InlineData("'a' + 'b'", "ab")]
    [InlineData("'n=' + 1.5", "n=1.5")]
    [InlineData("1 + '2'", "12")]
    [InlineData("'v' + true", "vtrue")]
    [InlineData("'v' + null", "v")]
    [InlineData("'v' + [1, 'x']", "v[1,\"x\"]")]
    [InlineData("'v' + {a: 1}", "v{\"a\":1}")]
    [InlineData("1 + 2 + 'x'", "3x")]
    [InlineData("'x' + 1 + 2", "x12")]
    [InlineData("'' + 1e308 * 10", "Infinity")]
    [InlineData("'' + -1e308 * 10", "-Infinity")]
    public void Evaluate_PlusWithString_Concatenates(string text, string expected) => Evaluates(text, expected);

    [Theory]
    [InlineData("1 + true", "'+'", "number and boolean")]
    [InlineData("null - 1", "'-'", "null and number")]
    [InlineData("[1] * 2", "'*'", "array and number")]
    [InlineData("{} / 1", "'/'", "object and number")]
    [InlineData("'a' - 'b'", "'-'", "string and string")]
    [InlineData("-'a'", "'-'", "string")]
    public void Evaluate_ArithmeticOnNonNumbers_ThrowsNamingOperatorAndKinds(string text, string op, string kinds)
    {
        var exception = Fails(text);
        Assert.Contains(op, exception.Message, StringComparison.Ordinal);
        Assert.Contains(kinds, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 / 0")]
    [InlineData("1 % 0")]
    [InlineData("0 / (1 - 1)")]
    public void Evaluate_DivisionByZero_Throws(string text) =>
        Assert.Contains("Division by zero", Fails(text).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("1 == 1", true)]
    [InlineData("1 == 1.0", true)]
    [InlineData("1 == '1'", false)]
    [InlineData("0 == false", false)]
    [InlineData("null == false", false)]
    [InlineData("null == inputs.missing", true)]
    [InlineData("'a' != 'A'", true)]
    [InlineData("[1, [2]] == [1, [2]]", true)]
    [InlineData("[1, 2] == [2, 1]", false)]
    [InlineData("{a: 1, b: 2} == {b: 2, a: 1}", true)]
    [InlineData("{a: 1} != {a: '1'}", true)]
    public void Evaluate_Equality_IsStrictAndStructural(string text, bool expected) => Evaluates(text, expected);

    [Theory]
    [InlineData("1 < 2", true)]
    [InlineData("2 <= 2", true)]
    [InlineData("3 > 2", true)]
    [InlineData("2 >= 3", false)]
    [InlineData("10 > 9", true)]
    [InlineData("'10' > '9'", false)]
    [InlineData("'a' < 'b'", true)]
    [InlineData("'B' < 'a'", true)]
    [InlineData("'abc' >= 'abc'", true)]
    public void Evaluate_Ordering_ComparesNumbersNumericallyAndStringsOrdinally(string text, bool expected) => Evaluates(text, expected);

    [Theory]
    [InlineData("1 < '2'", "number and string")]
    [InlineData("null > 0", "null and number")]
    [InlineData("true < false", "boolean and boolean")]
    [InlineData("[1] <= [2]", "array and array")]
    public void Evaluate_OrderingMixedKinds_Throws(string text, string kinds) =>
        Assert.Contains(kinds, Fails(text).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("true && true", true)]
    [InlineData("true && false", false)]
    [InlineData("1 && 'x'", true)]
    [InlineData("0 || ''", false)]
    [InlineData("null || 'x'", true)]
    [InlineData("!0", true)]
    [InlineData("!'x'", false)]
    [InlineData("!!inputs.name", true)]
    [InlineData("!inputs.missing", true)]
    [InlineData("!{}", false)]
    [InlineData("![]", false)]
    [InlineData("true || false && false", true)]
    [InlineData("(true || false) && false", false)]
    public void Evaluate_Logical_ReturnsBooleanByTruthiness(string text, bool expected) => Evaluates(text, expected);

    [Theory]
    [InlineData("false && 1 / 0")]
    [InlineData("true || 1 / 0")]
    [InlineData("false && unknownRoot")]
    public void Evaluate_LogicalShortCircuit_SkipsRightSide(string text) => Evaluate_NotThrowing(text);

    [Fact]
    public void Evaluate_LogicalRightSideNeeded_Evaluates() => Fails("true && 1 / 0");

    [Theory]
    [InlineData("inputs.missing ?? 'default'", "default")]
    [InlineData("inputs.name ?? 'default'", "Ada")]
    [InlineData("inputs.empty ?? 'default'", "")]
    [InlineData("null ?? null ?? 'third'", "third")]
    [InlineData("inputs.name ?? 1 / 0", "Ada")]
    public void Evaluate_Coalesce_ReplacesOnlyNull(string text, string expected) => Evaluates(text, expected);

    [Fact]
    public void Evaluate_CoalesceBindsLooserThanOr_GroupsOrFirst()
    {
        // (null || false) ?? 'x': the || result is the boolean false, which is not null.
        Evaluates("null || false ?? 'x'", false);
        Evaluates("inputs.nothing ?? 1 + 1", 2);
    }

    [Theory]
    [InlineData("true ? 'a' : 'b'", "a")]
    [InlineData("0 ? 'a' : 'b'", "b")]
    [InlineData("inputs.missing ? 'a' : 'b'", "b")]
    [InlineData("false ? 'a' : true ? 'b' : 'c'", "b")]
    [InlineData("false ? 'a' : false ? 'b' : 'c'", "c")]
    [InlineData("true ? false ? 'a' : 'b' : 'c'", "b")]
    [InlineData("null ?? false ? 'yes' : 'no'", "no")]
    [InlineData("true ? 'a' : 1 / 0", "a")]
    [InlineData("false ? 1 / 0 : 'b'", "b")]
    public void Evaluate_Conditional_IsRightAssociativeAndLazy(string text, string expected) => Evaluates(text, expected);

    private static void Evaluate_NotThrowing(string text) => Assert.Equal(Value.False.Kind, Eval(text).Kind);
}
