using AgentFlow.Core.Building;
using AgentFlow.Core.Graph;

namespace AgentFlow.Core.Tests.Graph;

public sealed class MermaidGraphTests
{
    [Fact]
    public void Render_ConditionWithBranchesAndWhenEdge_IsExactText()
    {
        var definition = new WorkflowBuilder("route")
            .Node("load", "transform", with: 1)
            .Condition("check", ["load"], ("true", "${{ nodes.load.output > 0 }}"), ("false", null))
            .Node("yes", "noop", needs: ["check.true"])
            .Node("no", "sleep", with: AgentFlow.Core.Values.Value.Object(("duration", "1s")), needs: ["check.false"])
            .Node("stop", "fail", with: AgentFlow.Core.Values.Value.Object(("error", "x")))
            .Edge("yes", "stop", when: "nodes.yes.status == 'succeeded'")
            .Build();

        var text = MermaidGraph.Render(definition);

        Assert.Equal(
            """
            flowchart TD
                load["load<br/>transform"]
                check{"check<br/>condition"}
                yes["yes<br/>noop"]
                no(["no<br/>sleep"])
                stop[["stop<br/>fail"]]
                load --> check
                check -- "true" --> yes
                check -- "false" --> no
                yes -- "when nodes.yes.status == 'succeeded'" --> stop

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
    }

    [Fact]
    public void Render_MapBody_BecomesPrefixedSubgraph()
    {
        var body = new WorkflowBuilder("body").Node("a", "noop").Node("b", "noop", needs: ["a"]).Build();
        var definition = new WorkflowBuilder("outer").Map("each", "${{ [1, 2] }}", body).Node("after", "noop", needs: ["each"]).Build();

        var text = MermaidGraph.Render(definition);

        Assert.Contains("    subgraph each [\"each<br/>map\"]\n        direction TB\n        each__a[\"a<br/>noop\"]\n", text, StringComparison.Ordinal);
        Assert.Contains("        each__a --> each__b\n    end\n", text, StringComparison.Ordinal);
        Assert.Contains("    each --> after\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_QuoteInName_IsEscaped()
    {
        var definition = new WorkflowBuilder("q").Node("a", "noop", configure: n => n with { Name = "say \"hi\"" }).Build();

        Assert.Contains("a[\"say #quot;hi#quot;<br/>noop\"]", MermaidGraph.Render(definition), StringComparison.Ordinal);
    }
}
