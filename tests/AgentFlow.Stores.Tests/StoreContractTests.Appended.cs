using System.Threading.Channels;
using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;

namespace AgentFlow.Stores.Tests;

/// <summary>
/// Append announcements for live streams: every committed append is announced once on
/// <see cref="StoreChannel.Appended"/>, naming the execution and its workflow, to every subscriber.
/// </summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Appended_EveryKindOfAppend_AnnouncedOncePerBatchWithItsWorkflow()
    {
        using var heard = await HearAppendsAsync();

        await StartAsync("e1", workflowId: "orders");
        await Store.AppendAsync("e1", 1, TestEvents.Nodes("e1", 2, 3, T0), Ct);
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);
        await Store.AppendLeasedAsync("e1", 4, TestEvents.Nodes("e1", 5, 2, T0), "e1", "a", Ct);
        await Store.AppendAsync("e1", 6, [new ExecutionCompleted("e1", 7, T0, Value.Null)], Ct);

        var announced = await heard.UntilAsync("end");
        Assert.Equal(Enumerable.Repeat(new StoreAnnouncement(StoreChannel.Appended, "e1", "orders"), 4), announced);
    }

    [Fact]
    public async Task Appended_RejectedAppend_AnnouncesNothing()
    {
        await StartAsync("e1");
        using var heard = await HearAppendsAsync();

        await Assert.ThrowsAsync<EventStoreConcurrencyException>(async () => await Store.AppendAsync("e1", 0, [TestEvents.Started("e1", T0)], Ct));
        await Assert.ThrowsAsync<EventStoreConcurrencyException>(async () => await Store.AppendAsync("e1", 5, TestEvents.Nodes("e1", 6, 1, T0), Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await Store.AppendLeasedAsync("e1", 1, TestEvents.Nodes("e1", 2, 1, T0), "e1", "nobody", Ct));

        Assert.Empty(await heard.UntilAsync("end"));
    }

    [Fact]
    public async Task Appended_TwoSubscribers_BothHearIt_AndADisposedOneNoLonger()
    {
        var first = await HearAppendsAsync();
        using var second = await HearAppendsAsync();
        await StartAsync("e1");
        await second.UntilAsync("mid");
        first.Dispose();
        await StartAsync("e2");

        Assert.Equal(["e1", "e2"], (await second.UntilAsync("end")).Select(a => a.ExecutionId));
        Assert.Equal(["e1", "mid"], first.Received.Select(a => a.ExecutionId));
    }

    [Fact]
    public async Task Appended_DoesNotWakeTheHostChannels()
    {
        await StartAsync("e1");
        await AnnouncedAsync(StoreChannel.Runnable, "e1");
        using var heard = await HearAppendsAsync();

        await Store.AppendAsync("e1", 1, TestEvents.Nodes("e1", 2, 1, T0), Ct);
        await Store.AppendAsync("e1", 2, [new ExecutionCompleted("e1", 3, T0, Value.Null)], Ct);
        Assert.Equal(2, (await heard.UntilAsync("end")).Count);

        var runnable = Notifications.WaitAsync(StoreChannel.Runnable, TimeSpan.FromSeconds(1), Ct).AsTask();
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await runnable.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>Subscribes to appends; <see cref="Hearing.UntilAsync"/> appends to a sentinel execution and collects until it is heard.</summary>
    private async Task<Hearing> HearAppendsAsync()
    {
        var heard = Channel.CreateUnbounded<StoreAnnouncement>();
        var subscription = await Notifications.SubscribeAsync(StoreChannel.Appended, a => heard.Writer.TryWrite(a), Ct);
        return new Hearing(this, heard, subscription);
    }

    private sealed class Hearing(StoreContractTests test, Channel<StoreAnnouncement> heard, IDisposable subscription) : IDisposable
    {
        public List<StoreAnnouncement> Received { get; } = [];

        /// <summary>
        /// Appends a finished log (so nothing becomes runnable) for <paramref name="sentinel"/> and returns what was
        /// heard before it: a store announces appends in commit order, so once the sentinel is heard, everything
        /// committed before it has been too.
        /// </summary>
        public async Task<List<StoreAnnouncement>> UntilAsync(string sentinel)
        {
            await test.Store.AppendAsync(sentinel, 0, [TestEvents.Started(sentinel, T0), new ExecutionCompleted(sentinel, 2, T0, Value.Null)], Ct);
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var announcement = await heard.Reader.ReadAsync(guard.Token);
                if (announcement.ExecutionId == sentinel)
                {
                    return [.. Received];
                }

                Received.Add(announcement);
            }
        }

        public void Dispose()
        {
            subscription.Dispose();
            while (heard.Reader.TryRead(out var announcement))
            {
                Received.Add(announcement);
            }
        }
    }
}
