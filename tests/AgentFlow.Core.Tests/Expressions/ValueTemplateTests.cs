using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Expressions;

public sealed class ValueTemplateTests
{
    private static ValueTemplate Compile(string text)
    {
        Assert.True(ValueTemplate.TryParseString(text, out var template, out var error), $"'{text}' failed: {error}");
        return template!;
    }

    private static Value Render(string text) => Compile(text).Evaluate(TestScope.Standard());

    private static ExpressionError CompileFails(string text)
    {
        Assert.False(ValueTemplate.TryParseString(text, out var template, out var error), $"'{text}' compiled unexpectedly");
        Assert.Null(template);
        return error!;
    }

    [Theory]
    [InlineData("${{ inputs.count }}")]
    [InlineData("${{inputs.count}}")]
    [InlineData("${{   inputs.count\n}}")]
    public void Evaluate_WholeStringExpression_KeepsRawNumber(string text) => Assert.Equal(Value.From(3), Render(text));

    [Fact]
    public void Evaluate_WholeStringExpression_KeepsObjectsArraysBooleansAndNull()
    {
        Assert.Equal(Value.Parse("""{"name": "Grace", "address": {"city": "Arlington"}}"""), Render("${{ inputs.user }}"));
        Assert.Equal(Value.Array("a", "b", "c"), Render("${{ inputs.tags }}"));
        Assert.Equal(Value.True, Render("${{ inputs.flag }}"));
        Assert.Equal(Value.Null, Render("${{ inputs.missing }}"));
        Assert.Equal(Value.Object(("a", 1)), Render("${{ {a: 1} }}"));
    }

    [Theory]
    [InlineData(" ${{ inputs.count }}", " 3")]
    [InlineData("${{ inputs.count }} ", "3 ")]
    [InlineData("n=${{ inputs.count }}", "n=3")]
    [InlineData("${{ inputs.count }}${{ inputs.count }}", "33")]
    [InlineData("[${{ inputs.missing }}]", "[]")]
    [InlineData("[${{ inputs.flag }}|${{ !inputs.flag }}]", "[true|false]")]
    [InlineData("${{ 0.5 }} and ${{ 1e21 }}", "0.5 and 1E+21")]
    [InlineData("tags=${{ inputs.tags }}", "tags=[\"a\",\"b\",\"c\"]")]
    [InlineData("user=${{ inputs.user }}", "user={\"name\":\"Grace\",\"address\":{\"city\":\"Arlington\"}}")]
    [InlineData("Hello, ${{ inputs.name }}!", "Hello, Ada!")]
    [InlineData("${{ '}}' }} ok", "}} ok")]
    [InlineData("${{ {a: {b: 'x'}}.a.b }}!", "x!")]
    public void Evaluate_Interpolation_StringifiesParts(string text, string expected) => Assert.Equal(Value.From(expected), Render(text));

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    [InlineData("costs $5 {{ not an expression }}", "costs $5 {{ not an expression }}")]
    [InlineData("$${{ inputs.name }}", "${{ inputs.name }}")]
    [InlineData("a $${{ b }} ${{ inputs.name }}", "a ${{ b }} Ada")]
    [InlineData("$$${{ inputs.name }}", "$${{ inputs.name }}")]
    public void Evaluate_LiteralsAndEscapes_RenderVerbatim(string text, string expected) => Assert.Equal(Value.From(expected), Render(text));

    [Fact]
    public void TryParseString_NoExpressions_IsConstant()
    {
        var template = Compile("just text");
        Assert.True(template.IsConstant);
        Assert.Empty(template.References);
        Assert.True(Compile("$${{ escaped }}").IsConstant);
    }

    [Fact]
    public void TryParseString_ScopeFreeExpressions_FoldToConstants()
    {
        var whole = Compile("${{ 1 + 2 }}");
        Assert.True(whole.IsConstant);
        Assert.Equal(Value.From(3), whole.Evaluate(new ThrowingScope()));
        var mixed = Compile("a${{ upper('b') }}c");
        Assert.True(mixed.IsConstant);
        Assert.Equal(Value.From("aBc"), mixed.Evaluate(new ThrowingScope()));
    }

    [Fact]
    public void TryParseString_ScopeReadsOrFailures_StayDynamic()
    {
        Assert.False(Compile("${{ inputs.x }}").IsConstant);
        Assert.False(Compile("at ${{ now() }}").IsConstant);
        var failing = Compile("${{ 1 / 0 }}");
        Assert.False(failing.IsConstant);
        var exception = Assert.Throws<ExpressionEvaluationException>(() => failing.Evaluate(TestScope.Standard()));
        Assert.Equal("1 / 0", exception.ExpressionText);
    }

    [Theory]
    [InlineData("abc ${{ inputs.x", 5, "Unterminated '${{'")]
    [InlineData("${{ 'abc }}", 5, "Unterminated string")]
    [InlineData("ok ${{ 1 + }}", 12, "end of expression")]
    [InlineData("ok ${{ inputs.x + }} more", 19, "end of expression")]
    [InlineData("x${{ foo(1) }}", 6, "Unknown function 'foo'")]
    [InlineData("${{ 1 }} then ${{ 'unterminated }}", 19, "Unterminated string")]
    [InlineData("${{ }}", 5, "Expected an expression")]
    [InlineData("${{ 1 } }}", 7, "Unexpected '}'")]
    public void TryParseString_Malformed_ReportsColumnWithinWholeString(string text, int column, string fragment)
    {
        var error = CompileFails(text);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void References_OfInterpolatedString_UseWholeStringColumns()
    {
        var template = Compile("Hi ${{ inputs.name }}, see ${{  nodes.fetch.output }}");
        Assert.Equal([new ExpressionReference("inputs", "name", 8), new ExpressionReference("nodes", "fetch", 33)], template.References);
    }

    [Fact]
    public void Object_OfConstants_FoldsIntoOneConstant()
    {
        var template = ValueTemplate.Object([new("a", ValueTemplate.Constant(1)), new("b", ValueTemplate.Array([ValueTemplate.Constant("x")]))]);
        Assert.True(template.IsConstant);
        Assert.Equal(Value.Object(("a", 1), ("b", Value.Array("x"))), template.Evaluate(new ThrowingScope()));
    }

    [Fact]
    public void Object_WithExpressions_EvaluatesInOrderAndAggregatesReferences()
    {
        var template = ValueTemplate.Object(
        [
            new("z", Compile("${{ inputs.count }}")),
            new("a", ValueTemplate.Constant("k")),
            new("m", ValueTemplate.Array([Compile("${{ nodes.fetch.output.total }}"), Compile("v=${{ vars.limit }}")])),
        ]);
        Assert.False(template.IsConstant);
        var value = template.Evaluate(TestScope.Standard());
        Assert.Equal(["z", "a", "m"], value.AsObject().Keys);
        Assert.Equal(Value.Object(("z", 3), ("a", "k"), ("m", Value.Array(2, "v=10"))), value);
        Assert.Equal(["inputs", "nodes", "vars"], template.References.Select(r => r.Root));
    }

    [Fact]
    public void Object_DuplicateNames_KeepFirstPositionAndLastValue()
    {
        var template = ValueTemplate.Object([new("a", Compile("${{ inputs.count }}")), new("b", ValueTemplate.Constant(2)), new("a", Compile("${{ inputs.name }}"))]);
        var value = template.Evaluate(TestScope.Standard());
        Assert.Equal(["a", "b"], value.AsObject().Keys);
        Assert.Equal(Value.From("Ada"), value["a"]);
    }

    [Fact]
    public void EmptyObject_IsConstantEmptyObject()
    {
        Assert.True(ValueTemplate.EmptyObject.IsConstant);
        Assert.Equal(Value.EmptyObject, ValueTemplate.EmptyObject.Evaluate(new ThrowingScope()));
        Assert.Empty(ValueTemplate.EmptyObject.References);
        Assert.True(ValueTemplate.Array([]).IsConstant);
        Assert.Equal(Value.EmptyArray, ValueTemplate.Array([]).Evaluate(new ThrowingScope()));
    }

    [Fact]
    public void Constant_ReturnsValueWithoutScope() =>
        Assert.Equal(Value.From("x"), ValueTemplate.Constant("x").Evaluate(new ThrowingScope()));

    [Fact]
    public void Evaluate_EmbeddedFailure_NamesThatExpression()
    {
        var exception = Assert.Throws<ExpressionEvaluationException>(() => Render("a ${{ inputs.name }} b ${{ inputs.count.x }}"));
        Assert.Equal("inputs.count.x", exception.ExpressionText);
    }

    [Fact]
    public void Evaluate_InterpolationPastStringLimit_Throws()
    {
        var scope = TestScope.Standard().WithRoot("big", new string('x', 600 * 1024));
        var exception = Assert.Throws<ExpressionEvaluationException>(() => Compile("${{ big }}${{ big }}").Evaluate(scope));
        Assert.Contains("too long", exception.Message, StringComparison.Ordinal);
        Assert.Equal(Value.From(600 * 1024 + 1), Compile("${{ length(big + '!') }}").Evaluate(scope));
    }

    [Fact]
    public void ParseString_Malformed_ThrowsFormatException() =>
        Assert.Throws<FormatException>(() => ValueTemplate.ParseString("${{ 1 +"));

    /// <summary>Proves constant templates never touch the scope.</summary>
    private sealed class ThrowingScope : IExpressionScope
    {
        public TimeProvider Time => throw new InvalidOperationException("clock read");

        public bool TryGetRoot(string name, out Value value) => throw new InvalidOperationException("root read");

        public bool TryGetNode(string nodeId, out Value node) => throw new InvalidOperationException("node read");
    }
}
