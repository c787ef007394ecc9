using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

public sealed class WaitNodeTests
{
    private static WorkflowBuilder Approval(string timeout = "1h") => new WorkflowBuilder("approval")
        .Node("ask", "wait", Value.Object(("signal", "approved"), ("timeout", timeout)));

    [Fact]
    public async Task SignalAsync_WhileWaiting_NodeOutputsPayloadAndLogRecordsDelivery()
    {
        using var fx = new RuntimeFixture();
        var handle = await fx.StartAsync(Approval().Build());
        await RuntimeFixture.WaitForAsync<TimerScheduled>(handle);

        await fx.Runtime.SignalAsync(handle.ExecutionId, "approved", Value.Object(("by", "ann")), CancellationToken.None);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var log = await fx.LogAsync(handle.ExecutionId);
        var received = Assert.Single(log.OfType<SignalReceived>());
        Assert.Equal(("ask", "approved", "ann"), (received.NodeId, received.Name, received.Payload["by"].AsString()));
        Assert.Equal("ann", log.OfType<NodeSucceeded>().Single(n => n.NodeId == "ask").Output["by"].AsString());
    }

    [Fact]
    public async Task SignalAsync_BeforeWaitBegins_KeptInInboxAndDeliveredWhenItBegins()
    {
        using var fx = new RuntimeFixture();
        var gate = new GateExecutor();
        fx.Registry.Register("gate", gate);
        var definition = new WorkflowBuilder("early")
            .Node("first", "gate")
            .Node("ask", "wait", Value.Object(("signal", "go")), needs: ["first"])
            .Build();
        var handle = await fx.StartAsync(definition);
        await gate.Entered.Task.WaitAsync(RuntimeFixture.Guard);

        await fx.Runtime.SignalAsync(handle.ExecutionId, "go", 7, CancellationToken.None);
        gate.Release();
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(7, (await fx.LogAsync(handle.ExecutionId)).OfType<NodeSucceeded>().Single(n => n.NodeId == "ask").Output.AsNumber());
    }

    [Fact]
    public async Task Wait_TimeoutPassesFirst_FailsWithCodeTimeout()
    {
        using var fx = new RuntimeFixture();
        var handle = await fx.StartAsync(Approval("5m").Build());
        await RuntimeFixture.WaitForAsync<TimerScheduled>(handle);

        fx.Time.Advance(TimeSpan.FromMinutes(5));
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(("timeout", "ask"), (result.Error!.Code, result.FailedNodeId));
    }

    [Fact]
    public async Task SignalAsync_TwoWaitsForOneName_EachSignalDeliveredOnce()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("twice")
            .Node("one", "wait", Value.Object(("signal", "tick")))
            .Node("two", "wait", Value.Object(("signal", "tick")), needs: ["one"])
            .Build();
        var handle = await fx.StartAsync(definition);

        await fx.Runtime.SignalAsync(handle.ExecutionId, "tick", 1, CancellationToken.None);
        await RuntimeFixture.WaitForAsync<NodeStarted>(handle, e => e.NodeId == "two");
        await fx.Runtime.SignalAsync(handle.ExecutionId, "tick", 2, CancellationToken.None);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var received = (await fx.LogAsync(handle.ExecutionId)).OfType<SignalReceived>().ToList();
        Assert.Equal([("one", 1.0), ("two", 2.0)], received.Select(r => (r.NodeId, r.Payload.AsNumber())));
        Assert.Equal(2, received.Select(r => r.SignalId).Distinct().Count());
    }

    [Fact]
    public async Task ResumeAsync_SignalRecordedButNotAcknowledged_NotDeliveredAgain()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("ack")
            .Node("one", "wait", Value.Object(("signal", "tick")))
            .Node("two", "wait", Value.Object(("signal", "tick")), needs: ["one"])
            .Build();
        var sent = await fx.Runtime.SignalAsync("crashed", "tick", 1, CancellationToken.None);
        var at = fx.Time.GetUtcNow();

        // The process recorded the delivery, then crashed before marking the inbox entry delivered.
        await fx.Runtime.Store.AppendAsync("crashed", 0,
        [
            new ExecutionStarted("crashed", 1, at, "ack", 1, Value.EmptyObject),
            new NodeStarted("crashed", 2, at, "one", 1, Value.Object(("signal", "tick"))),
            new SignalReceived("crashed", 3, at, "one", "tick", 1, sent.Signal.SignalId),
            new NodeSucceeded("crashed", 4, at, "one", 1, 1),
        ], CancellationToken.None);
        var handle = await fx.Runtime.ResumeAsync(definition, "crashed", CancellationToken.None);
        await RuntimeFixture.WaitForAsync<NodeStarted>(handle, e => e.NodeId == "two");

        await fx.Runtime.SignalAsync("crashed", "tick", 2, CancellationToken.None);
        await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        var two = (await fx.LogAsync("crashed")).OfType<SignalReceived>().Single(r => r.NodeId == "two");
        Assert.Equal(2, two.Payload.AsNumber());
    }
}
