using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Tests;

public abstract partial class StoreContractTests
{
    private static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ClaimDueTimersAsync_BeforeAndAfterDue_OnlyDueTimerClaimedOnce()
    {
        await Store.ScheduleTimerAsync(new DurableTimer("e1", "sleep", T0.AddMinutes(5)), Ct);

        Assert.Empty(await Store.ClaimDueTimersAsync("w1", 10, ClaimFor, Ct));
        Time.Advance(TimeSpan.FromMinutes(5));
        var claimed = await Store.ClaimDueTimersAsync("w1", 10, ClaimFor, Ct);
        var again = await Store.ClaimDueTimersAsync("w2", 10, ClaimFor, Ct);

        Assert.Equal([new DurableTimer("e1", "sleep", T0.AddMinutes(5))], claimed);
        Assert.Empty(again);
    }

    [Fact]
    public async Task ClaimDueTimersAsync_ClaimExpiredWithoutDelete_TimerClaimableAgain()
    {
        await Store.ScheduleTimerAsync(new DurableTimer("e1", "t", T0), Ct);
        Assert.Single(await Store.ClaimDueTimersAsync("w1", 10, ClaimFor, Ct));

        Time.Advance(ClaimFor);

        Assert.Single(await Store.ClaimDueTimersAsync("w2", 10, ClaimFor, Ct));
    }

    [Fact]
    public async Task ClaimDueTimersAsync_MoreDueThanMax_EarliestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.ScheduleTimerAsync(new DurableTimer("e1", $"t{i}", T0.AddSeconds(-i)), Ct);
        }

        var first = await Store.ClaimDueTimersAsync("w1", 2, ClaimFor, Ct);
        var rest = await Store.ClaimDueTimersAsync("w1", 10, ClaimFor, Ct);

        Assert.Equal(["t4", "t3"], first.Select(t => t.TimerId));
        Assert.Equal(["t2", "t1", "t0"], rest.Select(t => t.TimerId));
    }

    [Fact]
    public async Task DeleteTimerAsync_PendingTimer_NeverClaimed()
    {
        await Store.ScheduleTimerAsync(new DurableTimer("e1", "t", T0.AddSeconds(1)), Ct);

        Assert.True(await Store.DeleteTimerAsync("e1", "t", Ct));
        Assert.False(await Store.DeleteTimerAsync("e1", "t", Ct));
        Time.Advance(TimeSpan.FromHours(1));

        Assert.Empty(await Store.ClaimDueTimersAsync("w1", 10, ClaimFor, Ct));
    }

    [Fact]
    public async Task ScheduleTimerAsync_SameTimerAgain_ReplacesDueTime()
    {
        await Store.ScheduleTimerAsync(new DurableTimer("e1", "t", T0.AddSeconds(1)), Ct);
        await Store.ScheduleTimerAsync(new DurableTimer("e1", "t", T0.AddHours(1)), Ct);

        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(await Store.ClaimDueTimersAsync("w1", 10, ClaimFor, Ct));
    }

    [Fact]
    public async Task ClaimDueTimersAsync_ConcurrentWorkers_EachTimerToExactlyOne()
    {
        for (var i = 0; i < 30; i++)
        {
            await Store.ScheduleTimerAsync(new DurableTimer($"e{i}", "t", T0), Ct);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            await Store.ClaimDueTimersAsync($"w{w}", 7, ClaimFor, Ct))));

        var all = claims.SelectMany(c => c).Select(t => t.ExecutionId).ToList();
        Assert.Equal(30, all.Count);
        Assert.Equal(30, all.Distinct().Count());
    }
}
