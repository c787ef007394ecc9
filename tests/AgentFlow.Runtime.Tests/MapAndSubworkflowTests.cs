using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

public sealed class MapAndSubworkflowTests
{
    [Fact]
    public async Task Map_Items_ResultsInItemOrderWithParentScope()
    {
        using var fx = new RuntimeFixture();
        var body = new WorkflowBuilder("body")
            .Node("calc", "transform", with: Value.Object(("v", "${{ item * nodes.factor.output.k }}"), ("i", "${{ index }}")))
            .Build();
        var definition = new WorkflowBuilder("m")
            .Input("list", DataType.Array)
            .Node("factor", "transform", with: Value.Object(("k", 10)))
            .Node("unused", "noop")
            .Map("each", "${{ inputs.list }}", body, concurrency: 3, needs: ["factor", "unused"])
            .Output("all", "${{ nodes.each.output }}")
            .Build();

        var result = await fx.RunAsync(definition, Value.Object(("list", Value.Array(3, 1, 2))));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(
            Value.Array(Value.Object(("v", 30), ("i", 0)), Value.Object(("v", 10), ("i", 1)), Value.Object(("v", 20), ("i", 2))),
            result.Outputs["all"]);

        // Each item's log records only its own roots: the parent's inputs and nodes are handed to it, not copied.
        var item = Assert.IsType<ExecutionStarted>((await fx.LogAsync("exec-1/each/1/0"))[0]);
        Assert.True(item.InheritsParentContext);
        Assert.Equal(Value.Object(("item", 3), ("index", 0)), item.Scope);
        Assert.Equal(Value.EmptyObject, item.Inputs);
    }

    [Fact]
    public async Task Map_Concurrency_BoundNeverExceeded()
    {
        using var fx = new RuntimeFixture();
        var probe = new ConcurrencyProbe();
        fx.Registry.Register("probe", probe);
        var body = new WorkflowBuilder("body").Node("p", "probe", with: Value.Object(("x", "${{ item }}"))).Build();
        var definition = new WorkflowBuilder("m").Map("each", "${{ [1, 2, 3, 4, 5, 6, 7] }}", body, concurrency: 2).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(7, probe.Calls);
        Assert.InRange(probe.Max, 1, 2);
        Assert.Equal(7, result.Outputs["each"].AsArray().Count);
    }

    [Fact]
    public async Task Map_ItemsNotArray_FailsWithMapItems()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("m").Map("each", "${{ 5 }}", new WorkflowBuilder("b").Node("x", "noop").Build()).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal("map.items", result.Error!.Code);
        Assert.Contains("must be an array but was number", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_Break_StopsStartingNewItems()
    {
        using var fx = new RuntimeFixture();
        var body = new WorkflowBuilder("body")
            .Condition("check", null, ("stop", "item == 'b'"), ("go", null))
            .Node("halt", "break").Edge("check", "halt", branch: "stop")
            .Node("work", "transform", with: Value.Object(("v", "${{ item }}"))).Edge("check", "work", branch: "go")
            .Output("v", "${{ nodes.work.output.v }}")
            .Build();
        var definition = new WorkflowBuilder("m").Map("each", "${{ ['a', 'b', 'c', 'd'] }}", body, concurrency: 1).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(Value.Array(Value.Object(("v", "a")), Value.Null), result.Outputs["each"]);
        var listing = await fx.Runtime.Store.ListExecutionsAsync(CancellationToken.None).ToListAsync();
        Assert.Equal(3, listing.Count);
    }

    [Fact]
    public async Task Map_Continue_EndsItemWithNullAndSkipsRest()
    {
        using var fx = new RuntimeFixture();
        var body = new WorkflowBuilder("body")
            .Condition("check", null, ("odd", "item % 2 == 1"), ("even", null))
            .Node("next", "continue").Edge("check", "next", branch: "odd")
            .Node("after", "transform", with: Value.Object(("v", "${{ item }}")), needs: ["next"])
            .Node("work", "transform", with: Value.Object(("v", "${{ item * 100 }}"))).Edge("check", "work", branch: "even")
            .Output("v", "${{ nodes.work.output.v }}")
            .Build();
        var definition = new WorkflowBuilder("m").Map("each", "${{ [1, 2, 3] }}", body, concurrency: 2).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(Value.Array(Value.Null, Value.Object(("v", 200)), Value.Null), result.Outputs["each"]);
        var item0 = await fx.LogAsync("exec-1/each/1/0");
        Assert.Contains(item0, e => e is NodeSkipped { NodeId: "after" });
        Assert.DoesNotContain(item0, e => e is NodeStarted { NodeId: "after" });
    }

    [Fact]
    public async Task Map_ItemFails_MapFailsNamingIndex()
    {
        using var fx = new RuntimeFixture();
        var body = new WorkflowBuilder("body")
            .Node("f", "fail", with: Value.Object(("error", "bad.item"), ("message", "nope ${{ item }}")), configure: n => n)
            .Build();
        var definition = new WorkflowBuilder("m").Map("each", "${{ [7] }}", body).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(("map.item", "each"), (result.Error!.Code, result.FailedNodeId));
        Assert.Equal("Map node 'each' item 0 failed: bad.item: nope 7", result.Error.Message);
    }

    [Fact]
    public async Task Subworkflow_Reference_RunsChildWithBoundInputsAndParentLink()
    {
        using var fx = new RuntimeFixture();
        var child = new WorkflowBuilder("double")
            .Input("x", DataType.Number)
            .Input("label", DataType.String, defaultValue: "n")
            .Node("calc", "transform", with: Value.Object(("v", "${{ inputs.x * 2 }}")))
            .Output("value", "${{ nodes.calc.output.v }}")
            .Output("label", "${{ inputs.label }}")
            .Build();
        var definition = new WorkflowBuilder("parent")
            .Workflow(child)
            .Subworkflow("call", "double", with: Value.Object(("x", 21)))
            .Output("r", "${{ nodes.call.output.value }}")
            .Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(Value.Object(("r", 42)), result.Outputs);
        var childLog = await fx.LogAsync("exec-1/call/1");
        var started = Assert.IsType<ExecutionStarted>(childLog[0]);
        Assert.Equal(("exec-1", "call", "double"), (started.ParentExecutionId, started.ParentNodeId, started.WorkflowId));
        Assert.Equal(Value.Object(("x", 21), ("label", "n")), started.Inputs);
    }

    [Fact]
    public async Task Subworkflow_InvalidInputs_FailsNodeNotRetryable()
    {
        using var fx = new RuntimeFixture();
        var child = new WorkflowBuilder("c").Input("x", DataType.Number).Node("a", "noop").Build();
        var definition = new WorkflowBuilder("p").Node("call", "subworkflow", with: Value.Object(("x", "text")), configure: n => n with { Body = child }).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal("subworkflow.inputs", result.Error!.Code);
        Assert.Contains("Input 'x' must be a number", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subworkflow_ChildFails_ParentNodeFailsWithChildError()
    {
        using var fx = new RuntimeFixture();
        var child = new WorkflowBuilder("c").Node("f", "fail", with: Value.Object(("error", "child.broke"))).Build();
        var definition = new WorkflowBuilder("p").Node("call", "subworkflow", configure: n => n with { Body = child }).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal("subworkflow.failed", result.Error!.Code);
        Assert.Contains("child.broke", result.Error.Message, StringComparison.Ordinal);
    }
}
