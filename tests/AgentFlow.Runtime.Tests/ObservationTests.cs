using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

public sealed class ObservationTests
{
    [Fact]
    public async Task Store_FinishedRun_SequencesContiguousFromOne()
    {
        using var fx = new RuntimeFixture();
        var builder = new WorkflowBuilder("wide").Node("root", "noop");
        for (var i = 0; i < 20; i++)
        {
            builder.Node($"n{i}", "noop", needs: ["root"]);
        }

        var definition = builder.Node("join", "noop", needs: Enumerable.Range(0, 20).Select(i => $"n{i}")).Build();
        var handle = await fx.StartAsync(definition);
        await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        var log = await fx.LogAsync(handle.ExecutionId);

        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Sequence));
        Assert.IsType<ExecutionStarted>(log[0]);
        Assert.IsType<ExecutionCompleted>(log[^1]);
    }

    [Fact]
    public async Task WatchAsync_LateWatcher_SeesWholeLogInOrder()
    {
        using var fx = new RuntimeFixture();
        var gate = new GateExecutor();
        fx.Registry.Register("gate", gate);
        var handle = await fx.StartAsync(new WorkflowBuilder("w").Node("a", "noop").Node("b", "gate", needs: ["a"]).Node("c", "noop", needs: ["b"]).Build());
        await gate.Entered.Task.WaitAsync(RuntimeFixture.Guard);

        var watching = Collect(handle);
        gate.Release();
        var seen = await watching.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(await fx.LogAsync(handle.ExecutionId), seen);
    }

    [Fact]
    public async Task GetReportAsync_FinishedRun_ContainsNodesAndOutputs()
    {
        using var fx = new RuntimeFixture();
        fx.Registry.Register("flaky", new FlakyExecutor(1));
        var definition = new WorkflowBuilder("r")
            .Input("n", Core.Definitions.DataType.Number)
            .Node("a", "flaky", configure: n => n with { Retry = new Core.Definitions.RetryPolicy(2, Core.Definitions.BackoffKind.Fixed, TimeSpan.Zero, 1, null, 0, []) })
            .Node("b", "transform", with: Value.Object(("n", "${{ inputs.n }}")), needs: ["a"])
            .Build();
        var handle = await fx.StartAsync(definition, Value.Object(("n", 7)));
        await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        var report = await fx.Runtime.GetReportAsync(handle.ExecutionId, CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal(("r", "succeeded"), (report.WorkflowId, report.Status));
        Assert.Equal(Value.Object(("n", 7)), report.Inputs);
        var a = report.Nodes.Single(n => n.NodeId == "a");
        Assert.Equal(("succeeded", 2), (a.Status, a.Attempts));
        Assert.Equal(Value.Object(("n", 7)), report.Nodes.Single(n => n.NodeId == "b").Output);
        Assert.Null(await fx.Runtime.GetReportAsync("missing", CancellationToken.None));
    }

    [Fact]
    public async Task GetReportAsync_SecretInput_Redacted()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("s")
            .Input("token", Core.Definitions.DataType.String, secret: true)
            .Input("user", Core.Definitions.DataType.String)
            .Node("a", "noop")
            .Build();
        var handle = await fx.StartAsync(definition, Value.Object(("token", "hunter2"), ("user", "ann")));
        await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        var report = await fx.Runtime.GetReportAsync(handle.ExecutionId, CancellationToken.None);

        Assert.Equal(Value.Object(("token", "***"), ("user", "ann")), report!.Inputs);
        Assert.DoesNotContain("hunter2", report.ToJson(), StringComparison.Ordinal);
    }

    private static async Task<List<ExecutionEvent>> Collect(ExecutionHandle handle)
    {
        var events = new List<ExecutionEvent>();
        await foreach (var e in handle.WatchAsync(CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }
}
