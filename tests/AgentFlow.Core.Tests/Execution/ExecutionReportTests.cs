using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Execution;

public sealed class ExecutionReportTests
{
    [Fact]
    public void FromEvents_FinishedRun_HasPerNodeDetailsAndTimings()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Node("a", "transform", with: Value.Object(("v", 1)))
            .Node("b", "noop", needs: ["a"], configure: n => n with { OnError = Definitions.ErrorStrategy.Continue })
            .Build())
        {
            Outcome = (id, _) => id == "b" ? new ErrorInfo("bad", "b failed") : null,
        };
        sim.Start();
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        var queue = new Queue<Decision>(sim.Decisions);
        sim.Drain(queue);

        var report = ExecutionReport.FromEvents(sim.Log);

        Assert.Equal(("exec-1", "w", "succeeded"), (report.ExecutionId, report.WorkflowId, report.Status));
        Assert.Equal(TimeSpan.FromSeconds(1), report.Duration);
        var a = report.Nodes.Single(n => n.NodeId == "a");
        Assert.Equal(("succeeded", 1, Value.Object(("v", 1))), (a.Status, a.Attempts, a.Output));
        var b = report.Nodes.Single(n => n.NodeId == "b");
        Assert.Equal(("failed", "bad"), (b.Status, b.Error!.Code));
        var json = report.ToJson();
        Assert.Contains("\"executionId\":\"exec-1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"nodes\":[", json, StringComparison.Ordinal);
    }
}
