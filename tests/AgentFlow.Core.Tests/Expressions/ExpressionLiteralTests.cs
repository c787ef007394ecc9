using AgentFlow.Core.Values;
using static AgentFlow.Core.Tests.Expressions.ExpressionAssert;

namespace AgentFlow.Core.Tests.Expressions;

public sealed class ExpressionLiteralTests
{
    [Theory]
    [InlineData("0", 0d)]
    [InlineData("42", 42d)]
    [InlineData("3.25", 3.25d)]
    [InlineData("1e3", 1000d)]
    [InlineData("1E+3", 1000d)]
    [InlineData("25e-2", 0.25d)]
    [InlineData("1.5e1", 15d)]
    [InlineData("007", 7d)]
    public void Evaluate_NumberLiteral_ReturnsNumber(string text, double expected) => Evaluates(text, expected);

    [Fact]
    public void Evaluate_KeywordLiterals_ReturnNullAndBooleans()
    {
        Evaluates("null", Value.Null);
        Evaluates("true", true);
        Evaluates("false", false);
    }

    [Theory]
    [InlineData("'abc'", "abc")]
    [InlineData("\"abc\"", "abc")]
    [InlineData("''", "")]
    [InlineData(@"'a\nb'", "a\nb")]
    [InlineData(@"'a\tb'", "a\tb")]
    [InlineData(@"'a\\b'", @"a\b")]
    [InlineData(@"'it\'s'", "it's")]
    [InlineData(@"""say \""hi\""""", "say \"hi\"")]
    [InlineData(@"'\u00e9\u0041'", "éA")]
    [InlineData(@"'\r\/'", "\r/")]
    [InlineData("'double \" inside single'", "double \" inside single")]
    [InlineData("\"single ' inside double\"", "single ' inside double")]
    public void Evaluate_StringLiteralWithEscapes_ReturnsDecodedString(string text, string expected) => Evaluates(text, expected);

    [Fact]
    public void Evaluate_ArrayLiteral_ReturnsArrayInOrder()
    {
        Evaluates("[]", Value.EmptyArray);
        Evaluates("[1, 'two', null, [true]]", Value.Array(1, "two", Value.Null, Value.Array(true)));
        Evaluates("[1 + 1, inputs.name]", Value.Array(2, "Ada"));
    }

    [Fact]
    public void Evaluate_ObjectLiteral_KeepsPropertyOrder()
    {
        var value = Eval("{b: 1, 'quoted key': inputs.name, a: [2]}");
        Assert.Equal(["b", "quoted key", "a"], value.AsObject().Keys);
        Assert.Equal(Value.Object(("b", 1), ("quoted key", "Ada"), ("a", Value.Array(2))), value);
        Evaluates("{}", Value.EmptyObject);
    }

    [Fact]
    public void Evaluate_NestedObjectLiteral_BuildsNestedValue() =>
        Evaluates("{outer: {inner: 'x'}}.outer.inner", "x");

    [Fact]
    public void Evaluate_WhitespaceAroundTokens_IsIgnored() => Evaluates("  \t1 +\n 2  ", 3);

    [Fact]
    public void ToString_ReturnsSourceText()
    {
        Assert.Equal("inputs.x  +  1", Parse("inputs.x  +  1").ToString());
        Assert.Equal("inputs.x  +  1", Parse("inputs.x  +  1").Text);
    }
}
