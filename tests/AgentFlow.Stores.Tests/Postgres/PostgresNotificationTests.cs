using System.Threading.Channels;
using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Stores.Postgres;
using AgentFlow.Testing;

namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>LISTEN/NOTIFY wake-ups between two store instances, as between two processes.</summary>
public sealed class PostgresNotificationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Only bounds a failing test; a passing one never waits for it.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private readonly string _schema = PostgresTestServer.NewSchema();
    private readonly FakeTimeProvider _time = new(T0);
    private PostgresWorkflowStore? _worker;
    private PostgresWorkflowStore? _client;

    private PostgresWorkflowStore Worker => _worker!;

    private PostgresWorkflowStore Client => _client!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.SkipReason is not null)
        {
            return;
        }

        _worker = await PostgresTestServer.OpenAsync(_schema, _time);
        _client = await PostgresTestServer.OpenAsync(_schema, _time);
        await _worker.StartListeningAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_worker is null)
        {
            return;
        }

        await _worker.DisposeAsync();
        await _client!.DisposeAsync();
        await PostgresTestServer.DropSchemaAsync(_schema);
    }

    [PostgresFact]
    public async Task WaitAsync_NewExecutionAppendedElsewhere_WakesTheBlockedWaiter()
    {
        var wait = Worker.WaitAsync(StoreChannel.Runnable, Long, CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);

        await Client.AppendAsync("e1", 0, [TestEvents.Started("e1", T0)], CancellationToken.None);

        Assert.True(await wait.WaitAsync(Hang));
    }

    [PostgresFact]
    public async Task WaitAsync_SignalSentElsewhere_WakesSignalsNotRunnable()
    {
        var signals = Worker.WaitAsync(StoreChannel.Signals, Long, CancellationToken.None).AsTask();
        var runnable = Worker.WaitAsync(StoreChannel.Runnable, TimeSpan.FromSeconds(1), CancellationToken.None).AsTask();

        await Client.SendSignalAsync("e1", "approve", "true", null, CancellationToken.None);

        Assert.True(await signals.WaitAsync(Hang));
        Assert.False(runnable.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await runnable.WaitAsync(Hang));
    }

    [PostgresFact]
    public async Task WaitAsync_TimerScheduledBeforeTheWait_ReturnsAtOnce()
    {
        await Client.ScheduleTimerAsync(new DurableTimer("e1", "sleep", T0.AddMinutes(1)), CancellationToken.None);

        // The notification may still be in flight; the wait returns as soon as it lands, never later than it would
        // for a waiter already blocked.
        Assert.True(await Worker.WaitAsync(StoreChannel.Timers, Long, CancellationToken.None).AsTask().WaitAsync(Hang));
    }

    [PostgresFact]
    public async Task WaitAsync_LeaseReleasedOnRunningExecution_WakesRunnable()
    {
        await Client.AppendAsync("e1", 0, [TestEvents.Started("e1", T0)], CancellationToken.None);
        Assert.True(await Worker.WaitAsync(StoreChannel.Runnable, Long, CancellationToken.None).AsTask().WaitAsync(Hang));
        await Client.TryAcquireLeaseAsync("e1", "a", TimeSpan.FromSeconds(30), CancellationToken.None);
        var wait = Worker.WaitAsync(StoreChannel.Runnable, Long, CancellationToken.None).AsTask();

        Assert.True(await Client.ReleaseLeaseAsync("e1", "a", CancellationToken.None));

        Assert.True(await wait.WaitAsync(Hang));
    }

    [PostgresFact]
    public async Task WaitAsync_NothingAnnounced_FalseWhenTheInjectedClockPassesTheTimeout()
    {
        var wait = Worker.WaitAsync(StoreChannel.Runnable, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(await wait.WaitAsync(Hang));
    }

    [PostgresFact]
    public async Task WaitAsync_AnnouncementInAnotherSchema_DoesNotWake()
    {
        var otherSchema = PostgresTestServer.NewSchema();
        await using (var other = await PostgresTestServer.OpenAsync(otherSchema, _time))
        {
            var wait = Worker.WaitAsync(StoreChannel.Runnable, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
            await other.AppendAsync("e1", 0, [TestEvents.Started("e1", T0)], CancellationToken.None);

            // PostgreSQL delivers notifications in commit order, so once our own schema's later one has arrived, the
            // other schema's would have woken the waiter had its channel been ours.
            await Client.SendSignalAsync("marker", "m", "1", null, CancellationToken.None);
            Assert.True(await Worker.WaitAsync(StoreChannel.Signals, Long, CancellationToken.None).AsTask().WaitAsync(Hang));
            Assert.False(wait.IsCompleted);
        }

        await PostgresTestServer.DropSchemaAsync(otherSchema);
    }

    [PostgresFact]
    public async Task WaitAsync_ListeningConnectionKilled_ReconnectsWakesWaitersOnceAndKeepsListening()
    {
        var wait = Worker.WaitAsync(StoreChannel.Runnable, Long, CancellationToken.None).AsTask();
        var killed = await PostgresTestServer.ScalarAsync<long>(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'LISTEN \"{_schema}.%'");
        Assert.Equal(1, killed);

        // The listener retries after a back-off on the injected clock; move it until the reconnect wakes the waiter.
        using var hang = new CancellationTokenSource(Hang);
        while (!wait.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10, hang.Token);
        }

        Assert.True(await wait);
        var next = Worker.WaitAsync(StoreChannel.Signals, Long, CancellationToken.None).AsTask();
        Assert.True(await next.WaitAsync(Hang), "a reconnect wakes every channel once");
        var afterReconnect = Worker.WaitAsync(StoreChannel.Signals, Long, CancellationToken.None).AsTask();
        await Client.SendSignalAsync("e1", "approve", "true", null, CancellationToken.None);
        Assert.True(await afterReconnect.WaitAsync(Hang));
    }

    [PostgresFact]
    public async Task WaitAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        var wait = Worker.WaitAsync(StoreChannel.Timers, Long, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Hang));
    }

    [PostgresFact]
    public async Task SubscribeAsync_AppendsCommittedByAnotherInstance_HeardInOrderNamingExecutionAndWorkflow()
    {
        var heard = Channel.CreateUnbounded<StoreAnnouncement>();
        using var subscription = await Worker.SubscribeAsync(StoreChannel.Appended, a => heard.Writer.TryWrite(a), CancellationToken.None);

        await Client.AppendAsync("e1", 0, [TestEvents.Started("e1", T0, "orders")], CancellationToken.None);
        await Client.AppendAsync("e1", 1, TestEvents.Nodes("e1", 2, 2, T0), CancellationToken.None);
        await Client.AppendAsync("e1", 3, [new ExecutionCompleted("e1", 4, T0, Value.Null)], CancellationToken.None);

        using var hang = new CancellationTokenSource(Hang);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new StoreAnnouncement(StoreChannel.Appended, "e1", "orders"), await heard.Reader.ReadAsync(hang.Token));
        }
    }

    [PostgresFact]
    public async Task SubscribeAsync_IdsTooLongForANotifyPayload_AppendsSucceedAndAreAnnouncedAsUnknown()
    {
        // PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; that must not fail the append it rides in.
        var id = new string('x', 8000);
        var heard = Channel.CreateUnbounded<StoreAnnouncement>();
        using var subscription = await Worker.SubscribeAsync(StoreChannel.Appended, a => heard.Writer.TryWrite(a), CancellationToken.None);

        await Client.AppendAsync(id, 0, [TestEvents.Started(id, T0)], CancellationToken.None);
        await Client.AppendAsync(id, 1, TestEvents.Nodes(id, 2, 1, T0), CancellationToken.None);
        await Client.AppendAsync(id, 2, [new ExecutionCompleted(id, 3, T0, Value.Null)], CancellationToken.None);

        Assert.Equal(3, (await Client.ReadAsync(id, 1, CancellationToken.None)).Count);
        using var hang = new CancellationTokenSource(Hang);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new StoreAnnouncement(StoreChannel.Appended, null, null), await heard.Reader.ReadAsync(hang.Token));
        }

        Assert.True(await Worker.WaitAsync(StoreChannel.Runnable, Long, CancellationToken.None).AsTask().WaitAsync(Hang));
        Assert.Null(Worker.TakeAnnounced(StoreChannel.Runnable));
    }

    [PostgresFact]
    public async Task SubscribeAsync_AppendListeningConnectionKilled_AnnouncesUnknownThenHearsAgain()
    {
        var heard = Channel.CreateUnbounded<StoreAnnouncement>();
        using var subscription = await Worker.SubscribeAsync(StoreChannel.Appended, a => heard.Writer.TryWrite(a), CancellationToken.None);
        var killed = await PostgresTestServer.ScalarAsync<long>(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'LISTEN \"{_schema}.appended%'");
        Assert.Equal(1, killed);

        using var hang = new CancellationTokenSource(Hang);
        var next = heard.Reader.ReadAsync(hang.Token).AsTask();
        while (!next.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10, hang.Token);
        }

        Assert.Null((await next).ExecutionId);
        await Client.AppendAsync("e1", 0, [TestEvents.Started("e1", T0)], CancellationToken.None);
        Assert.Equal("e1", (await heard.Reader.ReadAsync(hang.Token)).ExecutionId);
    }
}
