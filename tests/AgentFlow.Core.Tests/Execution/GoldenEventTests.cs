using System.Runtime.CompilerServices;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;

namespace AgentFlow.Core.Tests.Execution;

/// <summary>
/// Logs written with schema version 1 must keep loading and keep their exact shape; if this fails, a persisted
/// field changed: bump <see cref="EventSchema.Version"/> and keep reading the old shape instead of editing the file.
/// </summary>
public sealed class GoldenEventTests
{
    private static string[] GoldenLines(string file = "events-v1.jsonl", [CallerFilePath] string here = "") =>
        File.ReadAllLines(Path.Combine(Path.GetDirectoryName(here)!, "Golden", file));

    [Fact]
    public void Deserialize_GoldenV1Events_RoundTripByteForByte()
    {
        foreach (var line in GoldenLines())
        {
            Assert.Equal(line, EventSerializer.Serialize(EventSerializer.Deserialize(line)));
        }
    }

    [Fact]
    public void Replay_GoldenV1Log_FoldsToCancelledWithNodeDetails()
    {
        var log = GoldenLines().Select(EventSerializer.Deserialize).Where(e => e.ExecutionId == "e").ToList();

        var report = ExecutionReport.FromEvents(log);

        Assert.Equal("cancelled", report.Status);
        Assert.Equal(("succeeded", 2), (report.Nodes.Single(n => n.NodeId == "a").Status, report.Nodes.Single(n => n.NodeId == "a").Attempts));
        Assert.Equal("high", report.Nodes.Single(n => n.NodeId == "route").Branch);
        Assert.Equal("skipped", report.Nodes.Single(n => n.NodeId == "b").Status);
        Assert.Equal("cancelled", report.Nodes.Single(n => n.NodeId == "d").Status);
    }

    [Fact]
    public void Deserialize_GoldenV1SignalLog_RoundTripsAndFoldsDeliveredSignal()
    {
        var lines = GoldenLines("events-v1-signals.jsonl");
        foreach (var line in lines)
        {
            Assert.Equal(line, EventSerializer.Serialize(EventSerializer.Deserialize(line)));
        }

        var state = ExecutionState.Replay(lines.Select(EventSerializer.Deserialize).ToList());

        Assert.Equal(ExecutionStatus.Succeeded, state.Status);
        Assert.Equal([7L], state.DeliveredSignals);
        Assert.Equal("ann", state.GetNode("ask")!.Output["by"].AsString());
    }

    [Fact]
    public void Deserialize_GoldenV1ControlLog_RoundTripsAndFoldsRetryPauseResume()
    {
        var lines = GoldenLines("events-v1-control.jsonl");
        foreach (var line in lines)
        {
            Assert.Equal(line, EventSerializer.Serialize(EventSerializer.Deserialize(line)));
        }

        var events = lines.Select(EventSerializer.Deserialize).ToList();
        var afterRetry = ExecutionState.Replay(events.Take(5));
        var paused = ExecutionState.Replay(events.Take(8));
        var report = ExecutionReport.FromEvents(events);

        Assert.Equal(["a"], Assert.IsType<ExecutionRetried>(events[4]).NodeIds);
        Assert.Equal((ExecutionStatus.Running, NodeStatus.Pending, null), (afterRetry.Status, afterRetry.GetNode("a")!.Status, afterRetry.Error));
        Assert.Null(afterRetry.FinishedAt);
        Assert.Equal((ExecutionStatus.Paused, NodeStatus.Succeeded), (paused.Status, paused.GetNode("a")!.Status));
        Assert.Equal("succeeded", report.Status);
        Assert.Equal(("succeeded", 2), (report.Nodes.Single().Status, report.Nodes.Single().Attempts));
    }
}
