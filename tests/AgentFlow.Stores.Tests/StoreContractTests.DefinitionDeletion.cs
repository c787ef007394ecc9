using AgentFlow.Core.Persistence;

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

        Assert.True(deleted);
        Assert.Null(await Store.GetLatestDefinitionAsync("wf", Ct));
        Assert.Null(await Store.GetDefinitionAsync("wf", 1, Ct));
        Assert.Equal(other.Definition, await Store.GetLatestDefinitionAsync("wf2", Ct));
        var list = new List<string>();
        await foreach (var definition in Store.ListDefinitionsAsync(Ct))
        {
            list.Add(definition.WorkflowId);
        }

        Assert.Equal(["wf2"], list);
    }

    [Fact]
    public async Task DeleteDefinitionAsync_Unknown_ReturnsFalse_AndASaveAfterDeleteStartsAtVersion1()
    {
        Assert.False(await Store.DeleteDefinitionAsync("nope", Ct));
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v2", Ct);
        await Store.DeleteDefinitionAsync("wf", Ct);

        var again = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v2", Ct);

        Assert.True(again.Created);
        Assert.Equal(1, again.Definition.Version);
    }
}
