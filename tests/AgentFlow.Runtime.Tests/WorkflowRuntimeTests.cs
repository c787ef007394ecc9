using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

public sealed class WorkflowRuntimeTests
{
    [Fact]
    public async Task StartAsync_Chain_CompletesWithOutputs()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("chain")
            .Input("n", DataType.Number)
            .Node("a", "transform", with: Value.Object(("v", "${{ inputs.n + 1 }}")))
            .Node("b", "transform", with: Value.Object(("v", "${{ nodes.a.output.v * 2 }}")), needs: ["a"])
            .Output("result", "${{ nodes.b.output.v }}")
            .Build();

        var result = await fx.RunAsync(definition, Value.Object(("n", 4)));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Value.Object(("result", 10)), result.Outputs);
    }

    [Fact]
    public async Task StartAsync_ParallelBranches_Overlap()
    {
        using var fx = new RuntimeFixture();
        fx.Registry.Register("barrier", new BarrierExecutor(2));
        var definition = new WorkflowBuilder("par")
            .Node("left", "barrier").Node("right", "barrier")
            .Node("join", "noop", needs: ["left", "right"])
            .Build();

        // Each barrier node only returns once both have arrived, so completion proves they ran at the same time.
        var result = await fx.RunAsync(definition);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task StartAsync_ConcurrencyBudget_NeverExceeded()
    {
        using var fx = new RuntimeFixture(maxConcurrentNodes: 2);
        var probe = new ConcurrencyProbe();
        fx.Registry.Register("probe", probe);
        var builder = new WorkflowBuilder("wide").Node("root", "noop");
        for (var i = 0; i < 8; i++)
        {
            builder.Node($"n{i}", "probe", needs: ["root"]);
        }

        var result = await fx.RunAsync(builder.Build());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(8, probe.Calls);
        Assert.InRange(probe.Max, 1, 2);
    }

    [Fact]
    public async Task StartAsync_JoinAfterSkippedBranch_Completes()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("cond")
            .Input("n", DataType.Number)
            .Condition("route", null, ("high", "inputs.n > 10"), ("low", null))
            .Node("high", "transform", with: Value.Object(("v", "high"))).Edge("route", "high", branch: "high")
            .Node("low", "transform", with: Value.Object(("v", "low"))).Edge("route", "low", branch: "low")
            .Node("join", "transform", with: Value.Object(("high", "${{ nodes.high.status }}"), ("low", "${{ nodes.low.status }}")), needs: ["high", "low"])
            .Build();

        var result = await fx.RunAsync(definition, Value.Object(("n", 3)));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Value.Object(("join", Value.Object(("high", "skipped"), ("low", "succeeded")))), result.Outputs);
    }

    [Fact]
    public async Task StartAsync_FlakyNode_RetriedOnFakeClockWithSameKeyPrefix()
    {
        using var fx = new RuntimeFixture();
        var flaky = new FlakyExecutor(failures: 2);
        fx.Registry.Register("flaky", flaky);
        var definition = new WorkflowBuilder("retry")
            .Node("call", "flaky", configure: n => n with { Retry = new RetryPolicy(3, BackoffKind.Exponential, TimeSpan.FromSeconds(10), 2, null, 0, ["http.*"]) })
            .Build();
        var handle = await fx.StartAsync(definition);

        var first = await RuntimeFixture.WaitForAsync<NodeRetryScheduled>(handle, r => r.NextAttempt == 2);
        Assert.Equal(TimeSpan.FromSeconds(10), first.DueAt - first.Timestamp);
        fx.Time.Advance(TimeSpan.FromSeconds(10));
        var second = await RuntimeFixture.WaitForAsync<NodeRetryScheduled>(handle, r => r.NextAttempt == 3);
        Assert.Equal(TimeSpan.FromSeconds(20), second.DueAt - second.Timestamp);
        fx.Time.Advance(TimeSpan.FromSeconds(20));
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Value.Object(("call", 3)), result.Outputs);
        Assert.Equal(["exec-1/call/1", "exec-1/call/2", "exec-1/call/3"], flaky.Keys);
    }

    [Fact]
    public async Task StartAsync_NodeTimeout_FailsWithTimeoutCode()
    {
        using var fx = new RuntimeFixture();
        var hang = new HangExecutor();
        fx.Registry.Register("hang", hang);
        var definition = new WorkflowBuilder("slow").Node("wait", "hang", configure: n => n with { Timeout = TimeSpan.FromSeconds(5) }).Build();
        var handle = await fx.StartAsync(definition);
        await hang.Entered.Task.WaitAsync(RuntimeFixture.Guard);

        fx.Time.Advance(TimeSpan.FromSeconds(5));
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("timeout", result.Error!.Code);
        Assert.True(result.Error.Retryable);
        Assert.Equal("wait", result.FailedNodeId);
    }

    [Fact]
    public async Task StartAsync_WorkflowTimeout_FailsAndCancelsRunningNode()
    {
        using var fx = new RuntimeFixture();
        var hang = new HangExecutor();
        fx.Registry.Register("hang", hang);
        var definition = new WorkflowBuilder("slow").Node("wait", "hang").Timeout(TimeSpan.FromMinutes(1)).Build();
        var handle = await fx.StartAsync(definition);
        await hang.Entered.Task.WaitAsync(RuntimeFixture.Guard);

        fx.Time.Advance(TimeSpan.FromMinutes(1));
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal((ExecutionStatus.Failed, "timeout"), (result.Status, result.Error!.Code));
        var log = await fx.LogAsync(handle.ExecutionId);
        Assert.Contains(log, e => e is NodeCancelled { NodeId: "wait" });
        Assert.IsType<ExecutionFailed>(log[^1]);
    }

    [Fact]
    public async Task CancelAsync_RunningNode_SeesTokenNothingNewStartsAndEndsCancelled()
    {
        using var fx = new RuntimeFixture();
        var gate = new GateExecutor();
        fx.Registry.Register("gate", gate);
        var definition = new WorkflowBuilder("cancel").Node("a", "gate").Node("b", "noop", needs: ["a"]).Build();
        var handle = await fx.StartAsync(definition);
        var token = await gate.Entered.Task.WaitAsync(RuntimeFixture.Guard);

        Assert.True(await fx.Runtime.CancelAsync(handle.ExecutionId, CancellationToken.None));
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.True(token.IsCancellationRequested);
        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        var log = await fx.LogAsync(handle.ExecutionId);
        Assert.DoesNotContain(log, e => e is NodeStarted { NodeId: "b" });
        Assert.Equal(
            [typeof(ExecutionCancelRequested), typeof(NodeCancelled), typeof(ExecutionCancelled)],
            log.Skip(2).Select(e => e.GetType()));
    }

    [Fact]
    public async Task CancelAsync_WaitingOnRetry_CancelsTheWait()
    {
        using var fx = new RuntimeFixture();
        fx.Registry.Register("flaky", new FlakyExecutor(failures: 5));
        var definition = new WorkflowBuilder("w").Node("a", "flaky", configure: n => n with { Retry = new RetryPolicy(5, BackoffKind.Fixed, TimeSpan.FromHours(1), 1, null, 0, []) }).Build();
        var handle = await fx.StartAsync(definition);
        await RuntimeFixture.WaitForAsync<NodeRetryScheduled>(handle);

        await handle.CancelAsync(CancellationToken.None);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Equal(0, fx.Time.PendingTimers);
    }

    [Fact]
    public async Task StartAsync_Sleep_WaitsForFakeClock()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("sleepy").Node("nap", "sleep", with: Value.Object(("duration", "5s"))).Node("after", "noop", needs: ["nap"]).Build();
        var handle = await fx.StartAsync(definition);

        var scheduled = await RuntimeFixture.WaitForAsync<TimerScheduled>(handle);
        Assert.Equal(fx.Time.GetUtcNow() + TimeSpan.FromSeconds(5), scheduled.DueAt);
        Assert.False(handle.Completion.IsCompleted);
        fx.Time.Advance(TimeSpan.FromSeconds(5));
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var log = await fx.LogAsync(handle.ExecutionId);
        Assert.Contains(log, e => e is TimerFired { NodeId: "nap" });
    }

    [Fact]
    public async Task CancelAsync_Sleeping_CancelsTimer()
    {
        using var fx = new RuntimeFixture();
        var handle = await fx.StartAsync(new WorkflowBuilder("s").Node("nap", "sleep", with: Value.Object(("duration", "PT1H"))).Build());
        await RuntimeFixture.WaitForAsync<TimerScheduled>(handle);

        await handle.CancelAsync(CancellationToken.None);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Equal(0, fx.Time.PendingTimers);
    }

    [Fact]
    public async Task StartAsync_FailNode_FailsWorkflowWithItsCode()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("f").Node("stop", "fail", with: Value.Object(("error", "quota.exceeded"), ("message", "No more quota"))).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal((ExecutionStatus.Failed, "quota.exceeded", "No more quota", false), (result.Status, result.Error!.Code, result.Error.Message, result.Error.Retryable));
    }

    [Fact]
    public async Task StartAsync_InvalidInputs_ThrowsAndRecordsNothing()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("i").Input("n", DataType.Integer).Node("a", "noop").Build();

        var error = await Assert.ThrowsAsync<WorkflowInputException>(() => fx.StartAsync(definition, Value.Object(("n", "x"))));

        Assert.Equal("Input 'n' must be an integer (a whole number) but was the string \"x\".", Assert.Single(error.Diagnostics).Message);
        Assert.Empty(await fx.Runtime.Store.ListExecutionsAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task StartAsync_Assign_VariablesVisibleDownstream()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("vars")
            .Variable("count", 1)
            .Node("set", "assign", with: Value.Object(("count", "${{ vars.count + 41 }}")))
            .Node("read", "transform", with: Value.Object(("v", "${{ vars.count }}")), needs: ["set"])
            .Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(Value.Object(("v", 42)), result.Outputs["read"]);
        Assert.Contains(await fx.LogAsync("exec-1"), e => e is VariablesAssigned { NodeId: "set" });
    }

    [Fact]
    public async Task StartAsync_UnknownKind_FailsNodeWithClearError()
    {
        using var fx = new RuntimeFixture();

        var result = await fx.RunAsync(new WorkflowBuilder("k").Node("a", "nope").Build());

        Assert.Equal(("node.kind", "Node 'a': no executor is registered for kind 'nope'."), (result.Error!.Code, result.Error.Message));
    }
}
