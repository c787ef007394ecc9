using AgentFlow.Core.Expressions;
using static AgentFlow.Core.Tests.Expressions.ExpressionAssert;

namespace AgentFlow.Core.Tests.Expressions;

public sealed class ExpressionParseErrorTests
{
    [Theory]
    [InlineData("inputs.x +", 11, "end of expression")]
    [InlineData("inputs.x + ", 12, "end of expression")]
    [InlineData("'abc", 1, "Unterminated string")]
    [InlineData("1 + \"abc", 5, "Unterminated string")]
    [InlineData("'abc\\", 1, "Unterminated string")]
    [InlineData("(1 + 2", 7, "expected ')'")]
    [InlineData("[1, 2", 6, "expected ',' or ']'")]
    [InlineData("[1 2]", 4, "Unexpected number '2'")]
    [InlineData("{a 1}", 4, "expected ':' after the property name")]
    [InlineData("{1: 2}", 2, "expected a property name")]
    [InlineData("{a: 1, a: 2}", 8, "Duplicate property 'a'")]
    [InlineData("inputs.", 8, "expected a property name after '.'")]
    [InlineData("inputs.[0]", 8, "Unexpected '['")]
    [InlineData("1 2", 3, "Unexpected number '2'; expected an operator or the end of the expression")]
    [InlineData("a ? b", 6, "expected ':' of the conditional operator")]
    [InlineData("* 2", 1, "Unexpected '*'; expected an expression")]
    [InlineData(")", 1, "Unexpected ')'")]
    [InlineData("", 1, "Expected an expression")]
    [InlineData("   ", 4, "Expected an expression")]
    [InlineData("1 = 1", 3, "Unexpected character '='")]
    [InlineData("a & b", 3, "Unexpected character '&'")]
    [InlineData("a | b", 3, "Unexpected character '|'")]
    [InlineData("#", 1, "Unexpected character '#'")]
    [InlineData("'\\q'", 2, "Unknown escape '\\q'")]
    [InlineData("'\\u12G4'", 2, "Malformed \\u escape")]
    [InlineData("1e", 1, "exponent has no digits")]
    [InlineData("12abc", 3, "Malformed number")]
    [InlineData("1e999", 1, "out of range")]
    [InlineData("nodes", 6, "expected '.' or '[' after 'nodes'")]
    [InlineData("nodes + 1", 7, "expected '.' or '[' after 'nodes'")]
    [InlineData("inputs.x(1)", 9, "Only built-in functions can be called")]
    public void TryParse_Malformed_ReportsMessageAndExactColumn(string text, int column, string fragment)
    {
        var error = ParseFails(text);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void TryParse_UnknownFunction_ReportsNameColumnAndHint()
    {
        var error = ParseFails("foo(1)");
        Assert.Equal("Unknown function 'foo'", error.Message);
        Assert.Equal(1, error.Column);
        Assert.NotNull(error.Hint);
        Assert.Contains("length", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 + lenght('a')", 5, "Did you mean 'length'?")]
    [InlineData("startWith('a', 'b')", 1, "Did you mean 'startsWith'?")]
    [InlineData("tojson(1)", 1, "Did you mean 'toJson'? Function names are case-sensitive.")]
    [InlineData("Lower('A')", 1, "Did you mean 'lower'? Function names are case-sensitive.")]
    [InlineData("if(true, 1, 2)", 1, "conditional operator")]
    public void TryParse_MisspelledFunction_SuggestsClosest(string text, int column, string hint)
    {
        var error = ParseFails(text);
        Assert.StartsWith("Unknown function", error.Message, StringComparison.Ordinal);
        Assert.Equal(column, error.Column);
        Assert.Contains(hint, error.Hint!, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SingleEquals_HintsDoubleEquals() =>
        Assert.Contains("==", ParseFails("a = 1").Hint!, StringComparison.Ordinal);

    [Fact]
    public void TryParse_TextAtLengthLimit_Parses_AndPastIt_Fails()
    {
        var atLimit = "'" + new string('x', 8 * 1024 - 2) + "'";
        Assert.True(Expression.TryParse(atLimit, out _, out _));
        var error = ParseFails(atLimit + " ");
        Assert.Contains("too long", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Column);
    }

    [Fact]
    public void TryParse_NestingAtDepthLimit_Parses_AndPastIt_Fails()
    {
        Assert.True(Expression.TryParse(new string('(', 63) + "1" + new string(')', 63), out _, out _));
        var error = ParseFails(new string('(', 64) + "1" + new string(')', 64));
        Assert.Contains("nested too deeply", error.Message, StringComparison.Ordinal);
        Assert.Equal(65, error.Column);
        Assert.Contains("nested too deeply", ParseFails(new string('[', 100) + new string(']', 100)).Message, StringComparison.Ordinal);
        Assert.Contains("nested too deeply", ParseFails(new string('!', 100) + "x").Message, StringComparison.Ordinal);
        Assert.Contains("nested too deeply", ParseFails(new string('-', 100) + "1").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LongFlatChain_IsNotADepthError()
    {
        var chain = string.Join(" + ", Enumerable.Repeat("1", 1000));
        Evaluates(chain, 1000);
    }

    [Fact]
    public void Parse_Malformed_ThrowsFormatExceptionWithColumn()
    {
        var exception = Assert.Throws<FormatException>(() => Expression.Parse("1 +"));
        Assert.Contains("column 4", exception.Message, StringComparison.Ordinal);
        Assert.Equal("1 + 2", Expression.Parse("1 + 2").Text);
    }

    [Fact]
    public void TryParse_NullText_Throws() =>
        Assert.Throws<ArgumentNullException>(() => Expression.TryParse(null!, out _, out _));
}
