using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>Migration 3 (deleted workflows) added to a schema written at version 2, with data in it.</summary>
public sealed class PostgresDefinitionMigrationTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [PostgresFact]
    public async Task OpenAsync_SchemaAtVersion2_AddsDeletionsAndKeepsDefinitionsAndExecutions()
    {
        var schema = PostgresTestServer.NewSchema();
        try
        {
            await using (var store = await PostgresTestServer.OpenAsync(schema, TimeProvider.System))
            {
                await store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
                await store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v2", Ct);
                await store.AppendAsync("e1", 0, [TestEvents.Started("e1", DateTimeOffset.UnixEpoch, "wf", 2)], Ct);
            }

            // Back to what a version-2 build wrote: no deletions table, no start check, two migrations recorded.
            await PostgresTestServer.ExecuteAsync($"""
                DROP FUNCTION "{schema}".check_startable(text, integer, bigint);
                DROP TABLE "{schema}".definition_deletions;
                DELETE FROM "{schema}".schema_migrations WHERE version = 3;
                """);

            await using var reopened = await PostgresTestServer.OpenAsync(schema, TimeProvider.System);

            Assert.Equal(3, await PostgresTestServer.SchemaVersionAsync(schema));
            Assert.Equal("v2", (await reopened.GetLatestDefinitionAsync("wf", Ct))!.Source);
            Assert.Equal(DefinitionDeleteResult.InUse("e1"), await reopened.DeleteDefinitionAsync("wf", Ct));
            await reopened.SaveDefinitionAsync("other", DefinitionFormats.Yaml, "x", Ct);
            Assert.Equal(DefinitionDeleteResult.Deleted(1), await reopened.DeleteDefinitionAsync("other", Ct));
            await Assert.ThrowsAsync<WorkflowDeletedException>(async () =>
                await reopened.AppendAsync("e2", 0, [TestEvents.Started("e2", DateTimeOffset.UnixEpoch, "other", 1)], Ct));
        }
        finally
        {
            await PostgresTestServer.DropSchemaAsync(schema);
        }
    }
}
