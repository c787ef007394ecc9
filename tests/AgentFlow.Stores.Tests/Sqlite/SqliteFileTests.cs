using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Stores.Sqlite;
using AgentFlow.Testing;

namespace AgentFlow.Stores.Tests.Sqlite;

public sealed class SqliteFileTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(T0);

    private string DbPath => _directory.File("store.db");

    [Fact]
    public async Task OpenAsync_EmptyFile_MigratesToTheCurrentSchema()
    {
        await File.WriteAllBytesAsync(DbPath, []);

        await (await OpenAsync()).DisposeAsync();

        using var raw = SqliteTestFiles.Open(DbPath);
        Assert.Equal((long)SqliteSchema.Version, SqliteTestFiles.Scalar(raw, "PRAGMA user_version"));
        Assert.Equal((long)SqliteSchema.ApplicationId, SqliteTestFiles.Scalar(raw, "PRAGMA application_id"));
        Assert.Equal("wal", SqliteTestFiles.Scalar(raw, "PRAGMA journal_mode"));
        Assert.Equal(7L, SqliteTestFiles.Scalar(raw, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'executions', 'execution_labels', 'definitions', 'timers', 'signals', 'leases')"));
    }

    [Fact]
    public async Task OpenAsync_SeveralOpenersOfANewFileAtOnce_EachSeesItWholeAndOpens()
    {
        // Regression: the checks ran outside any transaction, so an opener could see another's half-created file
        // (tables but no application id) and refuse it as not ours; and two could both apply the same migration.
        for (var round = 0; round < 3; round++)
        {
            var path = _directory.File($"race{round}.db");
            var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), CancellationToken.None))));
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OpenAsync_MissingDirectory_CreatesIt()
    {
        var path = Path.Combine(_directory.Path, "nested", "deeper", "store.db");

        await (await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), Ct)).DisposeAsync();

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task OpenAsync_ReopenedFile_KeepsEverything()
    {
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync("e1", 0, [TestEvents.Started("e1", T0), .. TestEvents.Nodes("e1", 2, 2, T0)], Ct);
            await store.SetLabelsAsync("e1", new Dictionary<string, string> { ["team"] = "red" }, Ct);
            await store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "id: wf", Ct);
            await store.ScheduleTimerAsync(new DurableTimer("e1", "t", T0), Ct);
            await store.SendSignalAsync("e1", "approve", "true", "d1", Ct);
            await store.TryAcquireLeaseAsync("e1", "a", TimeSpan.FromMinutes(1), Ct);
        }

        await using var reopened = await OpenAsync();

        Assert.Equal([1L, 2L, 3L], (await reopened.ReadAsync("e1", 1, Ct)).Select(e => e.Sequence));
        Assert.Equal("red", (await reopened.GetExecutionAsync("e1", Ct))!.Labels["team"]);
        Assert.Equal("id: wf", (await reopened.GetLatestDefinitionAsync("wf", Ct))!.Source);
        Assert.Single(await reopened.ClaimDueTimersAsync("w", 10, TimeSpan.FromSeconds(1), Ct));
        Assert.True((await reopened.SendSignalAsync("e1", "approve", "true", "d1", Ct)).Duplicate);
        Assert.Null(await reopened.TryAcquireLeaseAsync("e1", "b", TimeSpan.FromMinutes(1), Ct));
        await Assert.ThrowsAsync<EventStoreConcurrencyException>(async () => await reopened.AppendAsync("e1", 2, [TestEvents.Node("e1", 3, T0)], Ct));
    }

    [Fact]
    public async Task OpenAsync_TextFile_RefusedAsNotOursAndUnchanged()
    {
        await File.WriteAllTextAsync(DbPath, "name: not a database\n");

        await AssertRefusedUnchangedAsync(StoreErrorKind.NotADatabase, "is not an AgentFlow database or is damaged");
    }

    [Fact]
    public async Task OpenAsync_AnotherApplicationsSqliteFile_RefusedAsNotOursAndUnchanged()
    {
        SqliteTestFiles.Execute(DbPath, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");

        await AssertRefusedUnchangedAsync(StoreErrorKind.NotADatabase, "is not an AgentFlow database or is damaged");
    }

    [Fact]
    public async Task OpenAsync_DamagedDatabase_RefusedAsDamagedAndUnchanged()
    {
        await (await OpenAsync()).DisposeAsync();
        var bytes = await File.ReadAllBytesAsync(DbPath);

        // Keep the 100-byte header (so it still looks like SQLite) and wreck the schema page behind it.
        Array.Fill(bytes, (byte)0xA5, 100, 3000);
        await File.WriteAllBytesAsync(DbPath, bytes);

        await AssertRefusedUnchangedAsync(StoreErrorKind.NotADatabase, "is not an AgentFlow database or is damaged");
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_RefusedWithUpgradeAdviceAndUnchanged()
    {
        await (await OpenAsync()).DisposeAsync();
        SqliteTestFiles.Execute(DbPath, "PRAGMA user_version = 99");

        await AssertRefusedUnchangedAsync(
            StoreErrorKind.SchemaTooNew,
            $"was written by a newer AgentFlow (schema 99, this build supports {SqliteSchema.Version}); upgrade AgentFlow");
    }

    [Fact]
    public async Task OpenAsync_FileLockedByAnotherWriter_RefusedAfterBusyTimeoutAndUnchanged()
    {
        await (await OpenAsync()).DisposeAsync();
        using var holder = SqliteTestFiles.Open(DbPath);
        SqliteTestFiles.Scalar(holder, "BEGIN IMMEDIATE");

        await AssertRefusedUnchangedAsync(StoreErrorKind.Locked, "is locked by another process or writer");

        SqliteTestFiles.Scalar(holder, "ROLLBACK");
    }

    [Fact]
    public async Task AppendAsync_FileLockedByAnotherWriterMeanwhile_FailsClearlyThenRecovers()
    {
        await using var store = await OpenAsync();
        using (var holder = SqliteTestFiles.Open(DbPath))
        {
            SqliteTestFiles.Scalar(holder, "BEGIN IMMEDIATE");

            var error = await Assert.ThrowsAsync<StoreException>(async () => await store.AppendAsync("e1", 0, [TestEvents.Started("e1", T0)], Ct));

            Assert.Equal(StoreErrorKind.Locked, error.Kind);
            SqliteTestFiles.Scalar(holder, "ROLLBACK");
        }

        await store.AppendAsync("e1", 0, [TestEvents.Started("e1", T0)], Ct);
        Assert.Single(await store.ReadAsync("e1", 1, Ct));
    }

    public void Dispose() => _directory.Dispose();

    private Task<SqliteWorkflowStore> OpenAsync() =>
        SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(DbPath) { TimeProvider = _time, BusyTimeout = TimeSpan.FromMilliseconds(100) }, Ct);

    private async Task AssertRefusedUnchangedAsync(StoreErrorKind kind, string message)
    {
        var before = await File.ReadAllBytesAsync(DbPath);

        var error = await Assert.ThrowsAsync<StoreException>(OpenAsync);

        Assert.Equal(kind, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(DbPath, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(DbPath));
    }
}
