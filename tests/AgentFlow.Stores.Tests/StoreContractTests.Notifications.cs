using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;

namespace AgentFlow.Stores.Tests;

/// <summary>
/// Wake-ups: every store announces its own writes (PostgreSQL also those of other processes), naming the execution,
/// so a worker wakes for exactly the executions concerned.
/// </summary>
public abstract partial class StoreContractTests
{
    // Bounds a failing test only; on the fake clock a wait never times out by itself.
    private static readonly TimeSpan NoTimeout = TimeSpan.FromDays(1);

    private IStoreNotifications Notifications => Assert.IsAssignableFrom<IStoreNotifications>(Store);

    [Fact]
    public async Task Notifications_SignalSent_AnnouncesItsExecutionOnSignals()
    {
        await Store.SendSignalAsync("e1", "go", "1", null, Ct);

        Assert.Contains("e1", await AnnouncedAsync(StoreChannel.Signals, "e1"));
    }

    [Fact]
    public async Task Notifications_NewUnfinishedExecution_AnnouncedOnRunnable()
    {
        await StartAsync("e1");

        Assert.Contains("e1", await AnnouncedAsync(StoreChannel.Runnable, "e1"));
    }

    [Fact]
    public async Task Notifications_LeaseOfUnfinishedExecutionReleased_AnnouncedOnRunnable()
    {
        await StartAsync("e1");
        await StartAsync("done");
        await Store.AppendAsync("done", 1, [new ExecutionCompleted("done", 2, T0, Value.Null)], Ct);
        await AnnouncedAsync(StoreChannel.Runnable, "done");
        await Store.TryAcquireLeaseAsync("done", "a", LeaseFor, Ct);
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);

        Assert.True(await Store.ReleaseLeaseAsync("done", "a", Ct));
        Assert.True(await Store.ReleaseLeaseAsync("e1", "a", Ct));

        var announced = await AnnouncedAsync(StoreChannel.Runnable, "e1");
        Assert.DoesNotContain("done", announced);
    }

    [Fact]
    public async Task Notifications_TimerScheduled_AnnouncedOnTimers()
    {
        await Store.ScheduleTimerAsync(new DurableTimer("e1", "nap", T0.AddHours(1)), Ct);

        Assert.Contains("e1", await AnnouncedAsync(StoreChannel.Timers, "e1"));
    }

    /// <summary>Waits on <paramref name="channel"/> until <paramref name="executionId"/> is among the announced, returning what was taken last.</summary>
    private async Task<IReadOnlyCollection<string>> AnnouncedAsync(StoreChannel channel, string executionId)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            Assert.True(await Notifications.WaitAsync(channel, NoTimeout, guard.Token));
            if (Notifications.TakeAnnounced(channel) is { } ids && ids.Contains(executionId))
            {
                return ids;
            }
        }
    }
}
