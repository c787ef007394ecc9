using AgentFlow.Core.Events;
using AgentFlow.Stores.Sqlite;

namespace AgentFlow.Stores.Tests.Sqlite;

public sealed class SqliteGroupCommitTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task AppendAsync_200ConcurrentSingleEventAppends_CommitInFarFewerTransactions()
    {
        await using var store = await OpenAsync();
        using var gate = new ManualResetEventSlim();
        var held = HoldWriterAsync(store, gate);
        var before = store.CommitCount;

        var appends = Enumerable.Range(0, 200).Select(i => store.AppendAsync($"e{i}", 0, [TestEvents.Started($"e{i}", T0)], CancellationToken.None).AsTask()).ToList();
        gate.Set();
        await held;
        await Task.WhenAll(appends);

        var commits = store.CommitCount - before;
        Assert.InRange(commits, 1, 3);
        Assert.Equal(200, (await store.QueryExecutionsAsync(new(PageSize: 1000), CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task AppendAsync_ConflictInsideAGroupCommit_FailsAloneAndOthersCommit()
    {
        await using var store = await OpenAsync();
        using var gate = new ManualResetEventSlim();
        var held = HoldWriterAsync(store, gate);
        var before = store.CommitCount;

        var first = store.AppendAsync("a", 0, [TestEvents.Started("a", T0), TestEvents.Node("a", 2, T0)], CancellationToken.None).AsTask();
        var conflicting = store.AppendAsync("a", 0, [TestEvents.Started("a", T0.AddHours(1))], CancellationToken.None).AsTask();
        var other = store.AppendAsync("b", 0, [TestEvents.Started("b", T0)], CancellationToken.None).AsTask();
        gate.Set();
        await held;

        await first;
        var conflict = await Assert.ThrowsAsync<EventStoreConcurrencyException>(() => conflicting);
        await other;
        Assert.Equal(2, conflict.ActualSequence);
        Assert.InRange(store.CommitCount - before, 1, 2); // the held write may or may not share the group
        Assert.Equal([T0, T0], (await store.ReadAsync("a", 1, CancellationToken.None)).Select(e => e.Timestamp));
        Assert.Single(await store.ReadAsync("b", 1, CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_OperationFailsAfterWriting_ItsWritesRolledBackAndTheGroupCommits()
    {
        await using var store = await OpenAsync();
        using var gate = new ManualResetEventSlim();
        var held = HoldWriterAsync(store, gate);

        var before = store.AppendAsync("before", 0, [TestEvents.Started("before", T0)], CancellationToken.None).AsTask();
        var failing = store.WriteAsync<bool>(
            c =>
            {
                c.Scalar("INSERT INTO events (execution_id, sequence, timestamp, data) VALUES ('ghost', 1, 0, '{}')");
                throw new InvalidOperationException("fails after writing");
            },
            CancellationToken.None);
        var after = store.AppendAsync("after", 0, [TestEvents.Started("after", T0)], CancellationToken.None).AsTask();
        gate.Set();
        await held;

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await Task.WhenAll(before, after);
        var ghost = await store.WriteAsync(c => (long)c.Scalar("SELECT COUNT(*) FROM events WHERE execution_id = 'ghost'")!, CancellationToken.None);
        Assert.Equal(0, ghost);
        Assert.Single(await store.ReadAsync("after", 1, CancellationToken.None));
    }

    [Fact]
    public async Task DisposeAsync_WithWritesQueued_CommitsThemBeforeClosing()
    {
        var store = await OpenAsync();
        var appends = Enumerable.Range(0, 100).Select(i => store.AppendAsync($"e{i}", 0, [TestEvents.Started($"e{i}", T0)], CancellationToken.None).AsTask()).ToList();

        await store.DisposeAsync();
        await Task.WhenAll(appends);

        await using var reopened = await OpenAsync();
        Assert.Equal(100, (await reopened.QueryExecutionsAsync(new(PageSize: 1000), CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task AppendAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var store = await OpenAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync("e", 0, [TestEvents.Started("e", T0)], CancellationToken.None));
    }

    [Theory]
    [InlineData(SqliteSynchronousMode.Normal, 1L)]
    [InlineData(SqliteSynchronousMode.Full, 2L)]
    public async Task OpenAsync_SynchronousOption_AppliedToTheWriter(SqliteSynchronousMode mode, long expected)
    {
        await using var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(_directory.File("sync.db")) { Synchronous = mode }, CancellationToken.None);

        var (synchronous, journal) = await store.WriteAsync(s => ((long)s.Scalar("PRAGMA synchronous")!, (string)s.Scalar("PRAGMA journal_mode")!), CancellationToken.None);

        Assert.Equal((expected, "wal"), (synchronous, journal));
    }

    public void Dispose() => _directory.Dispose();

    private Task<SqliteWorkflowStore> OpenAsync() =>
        SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(_directory.File("store.db")), CancellationToken.None);

    // Occupies the single writer until the gate opens, so every write enqueued meanwhile lands in the next group commit.
    private static Task<bool> HoldWriterAsync(SqliteWorkflowStore store, ManualResetEventSlim gate) =>
        store.WriteAsync(_ => gate.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
}
