using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;

namespace AgentFlow.Stores.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task DeleteDefinitionAsync_Known_RemovesEveryVersionOnlyOfThatWorkflow()
    {
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v2", Ct);
        var other = await Store.SaveDefinitionAsync("wf2", DefinitionFormats.Yaml, "x", Ct);

        var deleted = await Store.DeleteDefinitionAsync("wf", Ct);

        Assert.Equal(DefinitionDeleteResult.Deleted(2), deleted);
        Assert.Null(await Store.GetLatestDefinitionAsync("wf", Ct));
        Assert.Null(await Store.GetDefinitionAsync("wf", 1, Ct));
        Assert.Equal(other.Definition, await Store.GetLatestDefinitionAsync("wf2", Ct));
        Assert.Equal(["wf2"], await ListDefinitionIdsAsync());
    }

    [Fact]
    public async Task DeleteDefinitionAsync_Unknown_ReturnsNotFound()
    {
        Assert.Equal(DefinitionDeleteResult.NotFound, await Store.DeleteDefinitionAsync("nope", Ct));
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await Store.DeleteDefinitionAsync("wf", Ct);

        Assert.Equal(DefinitionDeleteOutcome.NotFound, (await Store.DeleteDefinitionAsync("wf", Ct)).Outcome);
    }

    [Fact]
    public async Task DeleteDefinitionAsync_EmptyId_Throws()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.DeleteDefinitionAsync("", Ct));
    }

    [Fact]
    public async Task SaveDefinitionAsync_AfterDelete_ContinuesAfterTheLastDeletedVersion()
    {
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v2", Ct);
        await Store.DeleteDefinitionAsync("wf", Ct);

        var again = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v2", Ct);
        var next = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v4", Ct);

        Assert.True(again.Created);
        Assert.Equal((3, 4), (again.Definition.Version, next.Definition.Version));
        Assert.Null(await Store.GetDefinitionAsync("wf", 1, Ct));
        Assert.Equal("v2", (await Store.GetDefinitionAsync("wf", 3, Ct))!.Source);
        Assert.Equal(next.Definition, await Store.GetLatestDefinitionAsync("wf", Ct));

        // Deleted again: numbering continues after the second delete too.
        Assert.Equal(DefinitionDeleteResult.Deleted(4), await Store.DeleteDefinitionAsync("wf", Ct));
        Assert.Equal(5, (await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct)).Definition.Version);
    }

    [Theory]
    [InlineData("running")]
    [InlineData("cancelling")]
    [InlineData("paused")]
    public async Task DeleteDefinitionAsync_UnfinishedExecution_ReturnsInUseWithItsId_AndChangesNothing(string status)
    {
        var v1 = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await StartAsync("e1");
        ExecutionEvent? next = status switch
        {
            "cancelling" => new ExecutionCancelRequested("e1", 2, T0),
            "paused" => new ExecutionPaused("e1", 2, T0),
            _ => null,
        };
        if (next is not null)
        {
            await Store.AppendAsync("e1", 1, [next], Ct);
        }

        var refused = await Store.DeleteDefinitionAsync("wf", Ct);

        Assert.Equal(DefinitionDeleteResult.InUse("e1"), refused);
        Assert.Equal(v1.Definition, await Store.GetLatestDefinitionAsync("wf", Ct));
        Assert.Equal(2, (await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v2", Ct)).Definition.Version);
    }

    [Fact]
    public async Task DeleteDefinitionAsync_OnlyFinishedExecutions_DeletesAndKeepsTheirLogs()
    {
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await StartAsync("e1");
        await Store.AppendAsync("e1", 1, [new ExecutionCompleted("e1", 2, T0, Value.EmptyObject)], Ct);
        await StartAsync("other", workflowId: "wf2");

        var deleted = await Store.DeleteDefinitionAsync("wf", Ct);

        Assert.Equal(DefinitionDeleteOutcome.Deleted, deleted.Outcome);
        Assert.Equal(2, (await Store.ReadAsync("e1", 1, Ct)).Count);
        Assert.Equal("wf", (await Store.GetExecutionAsync("e1", Ct))!.WorkflowId);
    }

    [Fact]
    public async Task AppendAsync_FirstAppendOfADeletedVersion_ThrowsWorkflowDeleted_AndStoresNothing()
    {
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await Store.DeleteDefinitionAsync("wf", Ct);

        var error = await Assert.ThrowsAsync<WorkflowDeletedException>(async () => await StartAsync("e1"));

        Assert.Equal(("e1", "wf", 1), (error.ExecutionId, error.WorkflowId, error.Version));
        Assert.Null(await Store.GetExecutionAsync("e1", Ct));
        Assert.Empty(await Store.ReadAsync("e1", 1, Ct));

        // The id is still free: nothing of the refused start is left behind.
        await StartAsync("e1", workflowId: "wf2");
        Assert.Equal("wf2", (await Store.GetExecutionAsync("e1", Ct))!.WorkflowId);
    }

    [Fact]
    public async Task AppendAsync_AfterDeleteAndSaveAgain_StartsTheNewVersionButNotAnOldOne()
    {
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await Store.DeleteDefinitionAsync("wf", Ct);
        var saved = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1 again", Ct);

        await Store.AppendAsync("new", 0, [TestEvents.Started("new", T0, "wf", saved.Definition.Version)], Ct);

        await Assert.ThrowsAsync<WorkflowDeletedException>(async () => await Store.AppendAsync("old", 0, [TestEvents.Started("old", T0, "wf", 1)], Ct));
        Assert.Equal(2, (await Store.GetExecutionAsync("new", Ct))!.WorkflowVersion);
        Assert.Null(await Store.GetExecutionAsync("old", Ct));
    }

    [Fact]
    public async Task AppendAsync_WorkflowNeverStoredOrNeverDeleted_IsNotChecked()
    {
        // Runs of definitions that were never saved (tests, ephemeral runs) and of versions saved later still start.
        await StartAsync("adhoc", workflowId: "never-saved");
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await Store.AppendAsync("ahead", 0, [TestEvents.Started("ahead", T0, "wf", 7)], Ct);

        Assert.NotNull(await Store.GetExecutionAsync("adhoc", Ct));
        Assert.NotNull(await Store.GetExecutionAsync("ahead", Ct));
    }

    [Fact]
    public async Task AppendLeasedAsync_FirstAppendOfADeletedVersion_ThrowsWorkflowDeleted()
    {
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await Store.DeleteDefinitionAsync("wf", Ct);
        await Store.TryAcquireLeaseAsync("e1", "a", TimeSpan.FromMinutes(1), Ct);

        await Assert.ThrowsAsync<WorkflowDeletedException>(async () => await Store.AppendLeasedAsync("e1", 0, [TestEvents.Started("e1", T0)], "e1", "a", Ct));

        Assert.Null(await Store.GetExecutionAsync("e1", Ct));
    }

    [Fact]
    public async Task AppendAsync_LaterAppendsOfAnExecutionStartedBeforeTheDelete_AreNotChecked()
    {
        // Finished executions may still get index-neutral or late events; only the first append is a start.
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await StartAsync("e1");
        await Store.AppendAsync("e1", 1, [new ExecutionCompleted("e1", 2, T0, Value.EmptyObject)], Ct);
        await Store.DeleteDefinitionAsync("wf", Ct);

        await Store.AppendAsync("e1", 2, [TestEvents.Node("e1", 3, T0)], Ct);

        Assert.Equal(3L, (await Store.GetExecutionAsync("e1", Ct))!.LastSequence);
    }

    [Fact]
    public async Task AppendAsync_RetryOfAFailedExecutionOfADeletedVersion_ThrowsWorkflowDeleted_AndItStaysFailed()
    {
        // A retry re-opens the execution, which then needs its definition again: it counts as a start.
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await StartAsync("e1");
        await Store.AppendAsync("e1", 1, [new ExecutionFailed("e1", 2, T0, new ErrorInfo("boom", "failed"))], Ct);
        await Store.DeleteDefinitionAsync("wf", Ct);

        await Assert.ThrowsAsync<WorkflowDeletedException>(async () => await Store.AppendAsync("e1", 2, [new ExecutionRetried("e1", 3, T0, ["a"])], Ct));

        var row = await Store.GetExecutionAsync("e1", Ct);
        Assert.Equal((Core.Execution.ExecutionStatus.Failed, 2L), (row!.Status, row.LastSequence));
        Assert.Equal(2, (await Store.ReadAsync("e1", 1, Ct)).Count);
    }

    private async Task<List<string>> ListDefinitionIdsAsync()
    {
        var list = new List<string>();
        await foreach (var definition in Store.ListDefinitionsAsync(Ct))
        {
            list.Add(definition.WorkflowId);
        }

        return list;
    }
}
