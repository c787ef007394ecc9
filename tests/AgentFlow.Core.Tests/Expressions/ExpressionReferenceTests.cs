using AgentFlow.Core.Expressions;
using static AgentFlow.Core.Tests.Expressions.ExpressionAssert;

namespace AgentFlow.Core.Tests.Expressions;

public sealed class ExpressionReferenceTests
{
    [Fact]
    public void References_PathsAndIndexes_ReportRootFirstMemberAndColumn()
    {
        var expression = Parse("nodes.fetch.output + inputs.x + inputs['a b'] + vars[index] + item + nodes['n2'].y");
        Assert.Equal(
            [
                new ExpressionReference("nodes", "fetch", 1),
                new ExpressionReference("inputs", "x", 22),
                new ExpressionReference("inputs", "a b", 33),
                new ExpressionReference("vars", null, 49),
                new ExpressionReference("index", null, 54),
                new ExpressionReference("item", null, 63),
                new ExpressionReference("nodes", "n2", 70),
            ],
            expression.References);
    }

    [Fact]
    public void References_ComputedNodeId_HasNullMember()
    {
        var expression = Parse("nodes['a' + x].output");
        Assert.Equal([new ExpressionReference("nodes", null, 1), new ExpressionReference("x", null, 13)], expression.References);
    }

    [Fact]
    public void References_InsideFunctionsAndLiterals_AreFound()
    {
        var expression = Parse("length(coalesce(inputs.list, [vars.default, {k: execution.id}]))");
        Assert.Equal(["inputs.list", "vars.default", "execution.id"], expression.References.Select(r => $"{r.Root}.{r.Member}"));
    }

    [Fact]
    public void References_LiteralsAndFunctionNames_AreNotRoots()
    {
        Assert.Empty(Parse("true && null == length('x') ? {inputs: 1}.inputs : false").References);
        Assert.False(Parse("1 + 2").ReadsScope);
        Assert.True(Parse("now()").ReadsScope);
        Assert.True(Parse("inputs").ReadsScope);
    }

    [Fact]
    public void References_PropertyNamedLikeARoot_IsNotAReference() =>
        Assert.Equal(["inputs"], Parse("inputs.nodes.vars").References.Select(r => r.Root));
}
