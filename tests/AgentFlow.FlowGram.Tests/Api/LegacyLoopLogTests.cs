using AgentFlow.Core.Events;
using AgentFlow.FlowGram.Api;

namespace AgentFlow.FlowGram.Tests.Api;

/// <summary>
/// Tasks stored when a loop was three engine nodes (<c>&lt;id&gt;__for</c>, the map <c>&lt;id&gt;</c>,
/// <c>&lt;id&gt;__out</c>): their logs in <c>LegacyLoopLogs/</c> were written by that version (one serialized event a
/// line, the task's log then its iterations'). Their reports must read as they did, the same as a task run now.
/// </summary>
public sealed class LegacyLoopLogTests : IDisposable
{
    private readonly HttpClient _http = new();

    [Theory]
    [InlineData("loop-ok", "succeeded", null)]
    [InlineData("loop-body-fails", "failed", "Loop block execute error")]
    [InlineData("loop-for-fails", "failed", "Loop \"loopFor\" is required")]
    public async Task TaskReport_StoredThreeNodeLoopLog_ReadsAsATaskRunNow(string name, string status, string? loopError)
    {
        using var stored = new FlowGramTaskApi(_http);
        var events = await StoredLogs.LoadAsync(stored, name);

        Assert.Contains(events, e => e is NodeStarted { NodeId: "loop_0__for" });
        var legacy = (await stored.TaskReportAsync(events[0].ExecutionId, CancellationToken.None))!;

        using var now = new FlowGramTaskApi(_http);
        var current = (await now.TaskReportAsync(await StoredLogs.RunAsync(now, name), CancellationToken.None))!;

        Assert.Equal(status, legacy["workflowStatus"]!["status"]!.GetValue<string>());
        var loop = legacy["reports"]!["loop_0"]!;
        Assert.Equal(status, loop["status"]!.GetValue<string>());
        Assert.Equal("{}", loop["snapshots"]![0]!["inputs"]!.ToJsonString());
        Assert.Equal(loopError, loop["snapshots"]![0]!["error"]?.GetValue<string>());
        Assert.Equal(["loop_0", "start_0"], legacy["reports"]!.AsObject().Select(r => r.Key).Intersect(["start_0", "loop_0", "loop_0__for", "loop_0__out"]).Order(StringComparer.Ordinal));
        Assert.Equal(ReportJson.Normalise(current).ToJsonString(), ReportJson.Normalise(legacy).ToJsonString());
    }

    public void Dispose() => _http.Dispose();
}
