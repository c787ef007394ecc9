using AgentFlow.Core.Events;
using AgentFlow.FlowGram.Api;

namespace AgentFlow.FlowGram.Tests.Api;

/// <summary>
/// Tasks stored when every block-start recorded <c>&lt;loopID&gt;_locals</c> (a <c>locals</c> parameter and the
/// item and index variables in its output), which body nodes read back: <c>LegacyLoopLogs/locals-recorded.jsonl</c>
/// was written by that version, with a body node whose inputs read the item and index. Its report must read as a
/// task run now, where block-start records none of it (it does not even run) and the body builds the locals from the
/// item scope.
/// </summary>
public sealed class RecordedLocalsLogTests : IDisposable
{
    private readonly HttpClient _http = new();

    [Fact]
    public async Task TaskReport_LogWhereBlockStartRecordedLocals_ReadsAsATaskRunNow()
    {
        using var stored = new FlowGramTaskApi(_http);
        var events = await StoredLogs.LoadAsync(stored, "locals-recorded");

        Assert.Contains(events, e => e is NodeSucceeded { NodeId: "bs" } s && s.Output["locals"]["item"]["value"].ToJson() == "\"q\"");
        var taskId = events[0].ExecutionId;
        var legacy = (await stored.TaskReportAsync(taskId, CancellationToken.None))!;

        using var now = new FlowGramTaskApi(_http);
        var nowId = await StoredLogs.RunAsync(now, "locals-recorded");
        var current = (await now.TaskReportAsync(nowId, CancellationToken.None))!;
        var iteration = await now.Runtime.Store.ReadAsync($"{nowId}/loop_0/1/1", 1, CancellationToken.None);

        // Now block-start does not run (the report still shows it), and the body still reads the item and index.
        Assert.DoesNotContain(iteration, e => e is NodeStarted { NodeId: "bs" });
        Assert.Equal(2, current["reports"]!["bs"]!["snapshots"]!.AsArray().Count);
        Assert.Equal("""{"i":"q","n":1,"t":"q#1"}""", legacy["reports"]!["be"]!["snapshots"]![1]!["inputs"]!.ToJsonString());
        Assert.Equal("""{"a":["p","q"],"b":[0,1]}""", stored.TaskResult(taskId)!.ToJsonString());
        Assert.Equal(stored.TaskResult(taskId)!.ToJsonString(), now.TaskResult(nowId)!.ToJsonString());
        Assert.Equal(ReportJson.Normalise(current).ToJsonString(), ReportJson.Normalise(legacy).ToJsonString());
    }

    public void Dispose() => _http.Dispose();
}
