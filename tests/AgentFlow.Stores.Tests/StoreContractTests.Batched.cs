using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Tests;

/// <summary>The reads a worker makes for all its executions at once: pending signals of many, the next timer due.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task ReadPendingSignalsOfAsync_ManyExecutions_ReturnsOnlyTheirUndeliveredInAcceptanceOrder()
    {
        var a1 = (await Store.SendSignalAsync("a", "go", "1", null, Ct)).Signal;
        var b1 = (await Store.SendSignalAsync("b", "go", "2", null, Ct)).Signal;
        await Store.SendSignalAsync("other", "go", "3", null, Ct);
        var a2 = (await Store.SendSignalAsync("a", "stop", "4", null, Ct)).Signal;
        await Store.MarkSignalDeliveredAsync("b", b1.SignalId, Ct);

        var pending = await Store.ReadPendingSignalsOfAsync(["a", "b", "quiet"], Ct);

        Assert.Equal([a1.SignalId, a2.SignalId], pending.Select(s => s.SignalId));
        Assert.All(pending, s => Assert.Equal("a", s.ExecutionId));
        Assert.Empty(await Store.ReadPendingSignalsOfAsync([], Ct));
    }

    [Fact]
    public async Task GetNextDueAsync_Timers_EarliestNotHiddenByALiveClaim()
    {
        Assert.Null(await Store.GetNextDueAsync(Ct));
        await Store.ScheduleTimerAsync(new DurableTimer("e1", "late", T0.AddHours(2)), Ct);
        await Store.ScheduleTimerAsync(new DurableTimer("e2", "soon", T0.AddMinutes(1)), Ct);
        Assert.Equal(T0.AddMinutes(1), await Store.GetNextDueAsync(Ct));

        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await Store.ClaimDueTimersAsync("w", 10, TimeSpan.FromMinutes(5), Ct));
        Assert.Equal(T0.AddHours(2), await Store.GetNextDueAsync(Ct));

        // An unacknowledged claim expires, and the timer it hid counts again.
        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(T0.AddMinutes(1), await Store.GetNextDueAsync(Ct));
    }
}
