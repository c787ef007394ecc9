using AgentFlow.Core.Values;
using static AgentFlow.Core.Tests.Expressions.ExpressionAssert;

namespace AgentFlow.Core.Tests.Expressions;

public sealed class ExpressionPathTests
{
    [Theory]
    [InlineData("inputs.name", "Ada")]
    [InlineData("inputs.user.name", "Grace")]
    [InlineData("inputs.user.address.city", "Arlington")]
    [InlineData("inputs['user']['name']", "Grace")]
    [InlineData("inputs.tags[0]", "a")]
    [InlineData("inputs.tags[index]", "c")]
    [InlineData("inputs.tags[1 + 1]", "c")]
    [InlineData("vars.prefix + item.id", "x-7")]
    [InlineData("nodes.fetch.output.items[0].name", "first")]
    [InlineData("nodes.fetch.output.items[1]['name']", "second")]
    [InlineData("nodes.fetch.status", "succeeded")]
    [InlineData("nodes['fetch-data'].output", "hyphenated")]
    [InlineData("nodes['fe' + 'tch'].output.total", 2d)]
    [InlineData("inputs['a b']", 42d)]
    [InlineData("{k: 'v'}['k']", "v")]
    public void Evaluate_Path_WalksNestedValues(string text, object expected) =>
        Evaluates(text, expected is string s ? s : (double)expected);

    [Fact]
    public void Evaluate_NodeReference_AsksScopeForThatNodeOnly()
    {
        var scope = TestScope.Standard();
        Evaluates("nodes.fetch.output.items[0].name", "first", scope);
        Assert.Equal(["fetch"], scope.NodeRequests);
    }

    [Theory]
    [InlineData("inputs.missing")]
    [InlineData("inputs.missing.deeper.still")]
    [InlineData("inputs.nothing.name")]
    [InlineData("inputs.user.phone")]
    [InlineData("inputs.missing[0]")]
    [InlineData("inputs.missing['k']")]
    [InlineData("inputs.tags[3]")]
    [InlineData("inputs.tags[-1]")]
    [InlineData("inputs.tags[100000000000]")]
    [InlineData("inputs['no such key']")]
    [InlineData("null.x")]
    public void Evaluate_MissingOrNullNavigation_ReturnsNull(string text) => Evaluates(text, Value.Null);

    [Theory]
    [InlineData("inputs.name.length", 3d)]
    [InlineData("inputs.tags.length", 3d)]
    [InlineData("''.length", 0d)]
    [InlineData("[1, 2].length", 2d)]
    public void Evaluate_LengthMember_OnStringsAndArrays(string text, double expected) => Evaluates(text, expected);

    [Fact]
    public void Evaluate_LengthMemberOnObject_ReadsProperty()
    {
        Evaluates("{length: 'own'}.length", "own");
        Evaluates("inputs.user.length", Value.Null);
    }

    [Theory]
    [InlineData("inputs.count.x", "property 'x' of a number")]
    [InlineData("inputs.flag.x", "property 'x' of a boolean")]
    [InlineData("inputs.name.first", "property 'first' of a string")]
    [InlineData("inputs.tags.first", "property 'first' of a array")]
    [InlineData("inputs.count[0]", "index into a number")]
    [InlineData("inputs.name[0]", "index into a string")]
    [InlineData("inputs.tags['x']", "must be a number, not string")]
    [InlineData("inputs.tags[0.5]", "must be an integer")]
    [InlineData("inputs.user[1]", "must be a string, not number")]
    public void Evaluate_InvalidNavigation_Throws(string text, string fragment) =>
        Assert.Contains(fragment, Fails(text).Message, StringComparison.Ordinal);

    [Fact]
    public void Evaluate_UnknownRoot_ThrowsNamingRoot() =>
        Assert.Contains("Unknown root 'secrets'", Fails("secrets.token").Message, StringComparison.Ordinal);

    [Fact]
    public void Evaluate_UnknownNode_ThrowsNamingNode()
    {
        Assert.Contains("Unknown node 'ghost'", Fails("nodes.ghost.output").Message, StringComparison.Ordinal);
        Assert.Contains("Unknown node 'gh'", Fails("nodes['g' + 'h'].output").Message, StringComparison.Ordinal);
        Assert.Contains("node id must be a string", Fails("nodes[1]").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SameExpressionConcurrently_GivesSameResults()
    {
        var expression = Parse("nodes.fetch.output.items[index - 1].name + '-' + length(inputs.tags)");
        var scope = TestScope.Standard();
        var results = new string[64];
        Parallel.For(0, results.Length, i =>
        {
            for (var n = 0; n < 200; n++)
            {
                results[i] = expression.Evaluate(TestScope.Standard()).AsString();
            }
        });
        Assert.All(results, r => Assert.Equal("second-3", r));
        Assert.Equal("second-3", expression.Evaluate(scope).AsString());
    }
}
