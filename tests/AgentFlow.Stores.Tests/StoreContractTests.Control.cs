using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Tests;

/// <summary>Pause, resume and retry as every store indexes them (the events are ordinary rows of the log).</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task AppendAsync_PausedThenResumed_StatusPausedThenRunningAndPausedFilterable()
    {
        await StartAsync("e1");
        await StartAsync("e2");

        await Store.AppendAsync("e1", 1, [new ExecutionPaused("e1", 2, T0.AddSeconds(1), "maintenance")], Ct);
        var paused = await Store.GetExecutionAsync("e1", Ct);
        var onlyPaused = await Store.QueryExecutionsAsync(new ExecutionQuery { Statuses = [ExecutionStatus.Paused] }, Ct);
        var claimed = await Store.ClaimRunnableExecutionsAsync("w", 10, LeaseFor, Ct);
        await Store.AppendAsync("e1", 2, [new ExecutionResumed("e1", 3, T0.AddSeconds(2))], Ct);
        var resumed = await Store.GetExecutionAsync("e1", Ct);

        Assert.Equal((ExecutionStatus.Paused, (DateTimeOffset?)null), (paused!.Status, paused.FinishedAt));
        Assert.Equal(["e1"], onlyPaused.Items.Select(r => r.ExecutionId));
        Assert.Equal(["e2"], claimed.Select(l => l.ExecutionId));
        Assert.Equal((ExecutionStatus.Running, 3L), (resumed!.Status, resumed.LastSequence));
        Assert.Equal(3, (await Store.ReadAsync("e1", 1, Ct)).Count);
    }

    [Fact]
    public async Task AppendAsync_FailedThenRetried_RunningAgainWithoutFinishTime()
    {
        await StartAsync("e1");
        await Store.AppendAsync("e1", 1, [new ExecutionFailed("e1", 2, T0.AddSeconds(1), new ErrorInfo("boom", "x"), "a")], Ct);

        await Store.AppendAsync("e1", 2, [new ExecutionRetried("e1", 3, T0.AddSeconds(2), ["a"])], Ct);

        var row = await Store.GetExecutionAsync("e1", Ct);
        Assert.Equal((ExecutionStatus.Running, (DateTimeOffset?)null, 3L), (row!.Status, row.FinishedAt, row.LastSequence));
        Assert.Equal(["a"], Assert.IsType<ExecutionRetried>((await Store.ReadAsync("e1", 3, Ct))[0]).NodeIds);
        Assert.Equal(["e1"], (await Store.ClaimRunnableExecutionsAsync("w", 10, LeaseFor, Ct)).Select(l => l.ExecutionId));
    }
}
