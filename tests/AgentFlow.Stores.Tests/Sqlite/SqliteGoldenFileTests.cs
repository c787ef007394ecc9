using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Stores.Sqlite;

namespace AgentFlow.Stores.Tests.Sqlite;

/// <summary>
/// Files written by released schemas must keep opening: <c>Golden/schema-v1.db</c> was written by schema 1 (two
/// executions, labels, two definition versions, a timer, a signal), <c>Golden/schema-v2.db</c> is that file with
/// migration 2 applied and two API keys (one active with a known key text, one revoked), <c>Golden/schema-v3.db</c>
/// is schema-v2.db with migration 3 applied and workflow <c>retired</c> (versions 1 and 2) deleted; none is ever
/// regenerated.
/// A migration or an event-shape change that breaks them fails here.
/// </summary>
public sealed class SqliteGoldenFileTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task OpenAsync_SchemaV1File_LoadsEveryKindOfRecord()
    {
        var path = _directory.File("schema-v1.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Sqlite", "Golden", "schema-v1.db"), path);

        await using var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), Ct);

        var log = await store.ReadAsync("golden-1", 1, Ct);
        Assert.Equal([typeof(ExecutionStarted), typeof(NodeStarted), typeof(NodeSucceeded), typeof(ExecutionCompleted)], log.Select(e => e.GetType()));
        Assert.Equal(("review", 2), (((ExecutionStarted)log[0]).WorkflowId, ((ExecutionStarted)log[0]).WorkflowVersion));
        var finished = await store.GetExecutionAsync("golden-1", Ct);
        Assert.Equal((ExecutionStatus.Succeeded, (DateTimeOffset?)T0.AddSeconds(3), 4L), (finished!.Status, finished.FinishedAt, finished.LastSequence));
        var child = await store.GetExecutionAsync("golden-2", Ct);
        Assert.Equal(("golden-1", "red"), (child!.ParentExecutionId, child.Labels["team"]));
        Assert.Equal((2, "id: review\nversion: 2\n"), ((await store.GetLatestDefinitionAsync("review", Ct))!.Version, (await store.GetLatestDefinitionAsync("review", Ct))!.Source));
        Assert.Equal("{\"ok\":true}", Assert.Single(await store.ReadPendingSignalsAsync("golden-2", Ct)).PayloadJson);
        Assert.True((await store.SendSignalAsync("golden-2", "approve", "{}", "req-1", Ct)).Duplicate);
        Assert.True(await store.DeleteTimerAsync("golden-2", "sleep", Ct));
        await store.AppendAsync("golden-2", 1, [TestEvents.Node("golden-2", 2, T0)], Ct);
    }

    [Fact]
    public async Task OpenAsync_SchemaV1File_MigratesToApiKeysWithoutTouchingExecutions()
    {
        var path = _directory.File("schema-v1.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Sqlite", "Golden", "schema-v1.db"), path);

        await using (var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), Ct))
        {
            Assert.Empty(await store.ListApiKeysAsync(null, Ct));
            var created = await store.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"]), Ct);
            Assert.Equal("acme", (await store.FindApiKeyAsync(created.Secret, Ct))!.TenantId);
            Assert.Equal(4L, (await store.GetExecutionAsync("golden-1", Ct))!.LastSequence);
        }

        using var raw = SqliteTestFiles.Open(path);
        Assert.Equal((long)SqliteSchema.Version, SqliteTestFiles.Scalar(raw, "PRAGMA user_version"));
    }

    [Fact]
    public async Task OpenAsync_SchemaV2File_FindsStoredKeysAndKeepsTheRevokedOneRevoked()
    {
        var path = _directory.File("schema-v2.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Sqlite", "Golden", "schema-v2.db"), path);

        await using var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), Ct);

        var key = await store.FindApiKeyAsync("af_0123456789ab_" + string.Concat(Enumerable.Repeat("a1", 32)), Ct);
        Assert.Equal(("0123456789ab", "acme", "golden", T0, (DateTimeOffset?)null), (key!.Prefix, key.TenantId, key.Name, key.CreatedAt, key.RevokedAt));
        Assert.Equal(["read", "run"], key.Scopes);
        var listed = await store.ListApiKeysAsync("acme", Ct);
        Assert.Equal([("0123456789ab", (DateTimeOffset?)null), ("ba9876543210", T0.AddSeconds(1))], listed.Select(k => (k.Prefix, k.RevokedAt)));
        Assert.Equal((ExecutionStatus.Succeeded, 4L), ((await store.GetExecutionAsync("golden-1", Ct))!.Status, (await store.GetExecutionAsync("golden-1", Ct))!.LastSequence));
    }

    [Fact]
    public async Task OpenAsync_SchemaV2File_MigratesToDeletionsAndRefusesToDeleteAWorkflowInUse()
    {
        var path = _directory.File("schema-v2.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Sqlite", "Golden", "schema-v2.db"), path);

        await using (var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), Ct))
        {
            // golden-2 still runs review version 2.
            Assert.Equal(DefinitionDeleteResult.InUse("golden-2"), await store.DeleteDefinitionAsync("review", Ct));
            Assert.Equal(2, (await store.GetLatestDefinitionAsync("review", Ct))!.Version);
            Assert.Equal(1, (await store.SaveDefinitionAsync("fresh", DefinitionFormats.Yaml, "id: fresh\n", Ct)).Definition.Version);
        }

        using var raw = SqliteTestFiles.Open(path);
        Assert.Equal(3L, SqliteTestFiles.Scalar(raw, "PRAGMA user_version"));
    }

    [Fact]
    public async Task OpenAsync_SchemaV3File_KeepsTheDeletionOfRetired()
    {
        var path = _directory.File("schema-v3.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Sqlite", "Golden", "schema-v3.db"), path);

        await using var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), Ct);

        Assert.Null(await store.GetLatestDefinitionAsync("retired", Ct));
        await Assert.ThrowsAsync<WorkflowDeletedException>(async () => await store.AppendAsync("late", 0, [TestEvents.Started("late", T0, "retired", 2)], Ct));
        Assert.Null(await store.GetExecutionAsync("late", Ct));
        Assert.Equal(3, (await store.SaveDefinitionAsync("retired", DefinitionFormats.Yaml, "id: retired\nversion: 1\n", Ct)).Definition.Version);
        Assert.Equal(DefinitionDeleteOutcome.NotFound, (await store.DeleteDefinitionAsync("never", Ct)).Outcome);
        Assert.Equal("acme", (await store.FindApiKeyAsync("af_0123456789ab_" + string.Concat(Enumerable.Repeat("a1", 32)), Ct))!.TenantId);
        Assert.Equal((ExecutionStatus.Running, 2), ((await store.GetExecutionAsync("golden-2", Ct))!.Status, (await store.GetExecutionAsync("golden-2", Ct))!.WorkflowVersion));
    }

    public void Dispose() => _directory.Dispose();
}
