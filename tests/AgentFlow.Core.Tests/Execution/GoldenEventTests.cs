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
    private static string[] GoldenLines([CallerFilePath] string here = "") =>
        File.ReadAllLines(Path.Combine(Path.GetDirectoryName(here)!, "Golden", "events-v1.jsonl"));

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
}
