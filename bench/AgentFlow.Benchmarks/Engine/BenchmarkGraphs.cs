using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Values;

namespace AgentFlow.Benchmarks.Engine;

/// <summary>The graphs the engine-overhead benchmarks run; every node is a no-op unless it exercises the decider.</summary>
internal static class BenchmarkGraphs
{
    /// <summary>n0 → n1 → … → n(length-1).</summary>
    public static WorkflowDefinition Chain(int length)
    {
        var builder = new WorkflowBuilder("chain");
        for (var i = 0; i < length; i++)
        {
            builder.Node($"n{i}", "noop", needs: i == 0 ? null : [$"n{i - 1}"]);
        }

        return builder.Build();
    }

    /// <summary>root → width parallel nodes → join.</summary>
    public static WorkflowDefinition FanOut(int width)
    {
        var builder = new WorkflowBuilder("fan-out").Node("root", "noop");
        var branches = new string[width];
        for (var i = 0; i < width; i++)
        {
            branches[i] = $"b{i}";
            builder.Node(branches[i], "noop", needs: ["root"]);
        }

        return builder.Node("join", "noop", needs: branches).Build();
    }

    /// <summary>
    /// 20 nodes: transforms reading inputs and upstream outputs through expressions, a condition whose
    /// untaken branch is skipped, a switch, a 6-wide fan-out, a variable assignment and joins.
    /// </summary>
    public static WorkflowDefinition Mixed()
    {
        var builder = new WorkflowBuilder("mixed")
            .Input("amount", DataType.Number, required: false, defaultValue: 1500)
            .Input("region", DataType.String, required: false, defaultValue: "eu")
            .Variable("tally", 0)
            .Node("load", "transform", with: Value.Object(("amount", "${{ inputs.amount }}"), ("region", "${{ inputs.region }}")))
            .Condition("big", ["load"], ("true", "${{ nodes.load.output.amount > 1000 }}"), ("false", null))
            .Node("review", "transform", with: Value.Object(("route", "manual")), needs: ["big.true"])
            .Node("auto", "transform", with: Value.Object(("route", "auto")), needs: ["big.false"])
            .Node("auto_log", "noop", needs: ["auto"])
            .Condition("desk", ["load"], ("eu", "${{ nodes.load.output.region == 'eu' }}"), ("us", "${{ nodes.load.output.region == 'us' }}"), ("other", null))
            .Node("paris", "transform", with: "Paris", needs: ["desk.eu"])
            .Node("new_york", "transform", with: "New York", needs: ["desk.us"])
            .Node("singapore", "transform", with: "Singapore", needs: ["desk.other"]);
        var checks = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            checks.Add($"check{i}");
            builder.Node($"check{i}", "transform", with: $"${{{{ nodes.load.output.amount * {i + 1} }}}}", needs: ["load"]);
        }

        return builder
            .Node("checks", "noop", needs: checks)
            .Node("count", "assign", with: Value.Object(("tally", "${{ vars.tally + 1 }}")), needs: ["checks"])
            .Node("route", "transform", with: "${{ coalesce(nodes.review.output.route, nodes.auto.output.route) }}", needs: ["review", "auto_log"])
            .Node("decision", "transform", with: Value.Object(
                ("route", "${{ nodes.route.output }}"),
                ("desk", "${{ coalesce(nodes.paris.output, nodes.new_york.output, nodes.singapore.output) }}")),
                needs: ["route", "paris", "new_york", "singapore", "count"])
            .Node("done", "noop", needs: ["decision"])
            .Output("decision", "${{ nodes.decision.output }}")
            .Build();
    }
}
