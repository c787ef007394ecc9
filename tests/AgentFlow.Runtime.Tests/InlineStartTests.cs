using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

/// <summary>
/// <see cref="StartOptions.RunInline"/>, local nodes outside the concurrency budget, and map items of a fresh
/// execution: the shortcuts of the hot path record the same log as the general path.
/// </summary>
public sealed class InlineStartTests
{
    private static readonly Core.Definitions.WorkflowDefinition LocalWorkflow = new WorkflowBuilder("local")
        .Node("a", "transform", with: Value.Object(("v", 1)))
        .Map("each", "${{ [1, 2, 3] }}", new WorkflowBuilder("body").Node("x", "transform", with: Value.Object(("v", "${{ item }}"))).Build(), concurrency: 1, needs: ["a"])
        .Node("b", "noop", needs: ["each"])
        .Output("items", "${{ nodes.each.output }}")
        .Build();

    [Fact]
    public async Task StartAsync_RunInlineWithLocalNodes_HasEndedWhenStartReturns()
    {
        using var fx = new RuntimeFixture();

        var handle = await fx.Runtime.StartAsync(LocalWorkflow, Value.EmptyObject, new StartOptions { RunInline = true }, CancellationToken.None);

        Assert.True(handle.Completion.IsCompleted);
        var result = await handle.Completion;
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Empty(fx.Runtime.ActiveExecutionIds);
    }

    [Fact]
    public async Task StartAsync_RunInline_RecordsTheSameLogsAsInTheBackground()
    {
        using var fx = new RuntimeFixture();
        var background = await fx.Runtime.StartAsync(LocalWorkflow, Value.EmptyObject, new StartOptions { ExecutionId = "bg" }, CancellationToken.None);
        await background.Completion.WaitAsync(RuntimeFixture.Guard);
        var inline = await fx.Runtime.StartAsync(LocalWorkflow, Value.EmptyObject, new StartOptions { ExecutionId = "in", RunInline = true }, CancellationToken.None);
        await inline.Completion.WaitAsync(RuntimeFixture.Guard);

        foreach (var suffix in new[] { "", "/each/1/0", "/each/1/1", "/each/1/2" })
        {
            var expected = await fx.LogAsync("bg" + suffix);
            var actual = await fx.LogAsync("in" + suffix);
            Assert.NotEmpty(expected);
            Assert.Equal(Shape(expected, "bg"), Shape(actual, "in"));
        }
    }

    [Fact]
    public async Task StartAsync_RunInlineWithAnAsyncNode_ReturnsWhileItRuns()
    {
        using var fx = new RuntimeFixture();
        var gate = new GateExecutor();
        fx.Registry.Register("gate", gate);
        var definition = new WorkflowBuilder("gated").Node("a", "noop").Node("g", "gate", needs: ["a"]).Build();

        var handle = await fx.Runtime.StartAsync(definition, Value.EmptyObject, new StartOptions { RunInline = true }, CancellationToken.None);
        await gate.Entered.Task.WaitAsync(RuntimeFixture.Guard);

        Assert.False(handle.Completion.IsCompleted);
        gate.Release();
        Assert.Equal(ExecutionStatus.Succeeded, (await handle.Completion.WaitAsync(RuntimeFixture.Guard)).Status);
    }

    [Fact]
    public async Task StartAsync_BudgetHeldByAnotherNode_LocalNodesStillRun()
    {
        // The only slot is taken by a node waiting on something outside; local nodes compute on the loop and need none.
        using var fx = new RuntimeFixture(maxConcurrentNodes: 1);
        var gate = new GateExecutor();
        fx.Registry.Register("gate", gate);
        var definition = new WorkflowBuilder("budget")
            .Node("g", "gate")
            .Node("a", "transform", with: Value.Object(("v", 1)))
            .Node("b", "transform", with: Value.Object(("v", "${{ nodes.a.output.v }}")), needs: ["a"])
            .Build();

        var handle = await fx.StartAsync(definition);
        await gate.Entered.Task.WaitAsync(RuntimeFixture.Guard);
        var b = await RuntimeFixture.WaitForAsync<NodeSucceeded>(handle, e => e.NodeId == "b");

        Assert.Equal(Value.Object(("v", 1)), b.Output);
        Assert.False(handle.Completion.IsCompleted);
        gate.Release();
        Assert.Equal(ExecutionStatus.Succeeded, (await handle.Completion.WaitAsync(RuntimeFixture.Guard)).Status);
    }

    /// <summary>Event types, node ids and payloads, with the execution id prefix and timestamps left out.</summary>
    private static List<string> Shape(IReadOnlyList<ExecutionEvent> events, string prefix) =>
        [.. events.Select(e => Core.Events.EventSerializer.Serialize(e with { Timestamp = default })
            .Replace($"\"{prefix}/", "\"ID/", StringComparison.Ordinal)
            .Replace($"\"{prefix}\"", "\"ID\"", StringComparison.Ordinal))];
}
