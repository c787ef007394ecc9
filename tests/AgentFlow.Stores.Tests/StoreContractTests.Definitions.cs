using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task SaveDefinitionAsync_NewContent_NextVersionWithSha256()
    {
        var first = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "abc", Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "abd", Ct);

        Assert.True(first.Created && second.Created);
        Assert.Equal((1, 2), (first.Definition.Version, second.Definition.Version));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", first.Definition.ContentHash);
        Assert.Equal(T0.AddMinutes(1), second.Definition.CreatedAt);
        Assert.Equal(second.Definition, await Store.GetLatestDefinitionAsync("wf", Ct));
        Assert.Equal(first.Definition, await Store.GetDefinitionAsync("wf", 1, Ct));
    }

    [Fact]
    public async Task SaveDefinitionAsync_SameAsLatest_ReturnsExistingVersion()
    {
        var first = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Json, "{\"id\":\"wf\"}", Ct);

        var again = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Json, "{\"id\":\"wf\"}", Ct);

        Assert.False(again.Created);
        Assert.Equal(first.Definition, again.Definition);
        Assert.Null(await Store.GetDefinitionAsync("wf", 2, Ct));
    }

    [Fact]
    public async Task SaveDefinitionAsync_SameAsOlderVersion_CreatesNewLatest()
    {
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v2", Ct);

        var rollback = await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "v1", Ct);

        Assert.True(rollback.Created);
        Assert.Equal((3, "v1"), (rollback.Definition.Version, (await Store.GetLatestDefinitionAsync("wf", Ct))!.Source));
    }

    [Fact]
    public async Task SaveDefinitionAsync_ConcurrentDifferentSources_DistinctGaplessVersions()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, $"source {i}", Ct))));

        Assert.Equal(Enumerable.Range(1, 20), results.Select(r => r.Definition.Version).Order());
    }

    [Fact]
    public async Task SaveDefinitionAsync_UnknownFormat_ThrowsAndStoresNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.SaveDefinitionAsync("wf", "xml", "<wf/>", Ct));

        Assert.Null(await Store.GetLatestDefinitionAsync("wf", Ct));
    }

    [Fact]
    public async Task ListDefinitionsAsync_SeveralWorkflows_LatestOfEachByWorkflowId()
    {
        await Store.SaveDefinitionAsync("zeta", DefinitionFormats.FlowGram, "{}", Ct);
        await Store.SaveDefinitionAsync("alpha", DefinitionFormats.Yaml, "one", Ct);
        await Store.SaveDefinitionAsync("alpha", DefinitionFormats.Yaml, "two", Ct);

        var list = new List<StoredDefinition>();
        await foreach (var definition in Store.ListDefinitionsAsync(Ct))
        {
            list.Add(definition);
        }

        Assert.Equal([("alpha", 2, "two"), ("zeta", 1, "{}")], list.Select(d => (d.WorkflowId, d.Version, d.Source)));
    }

    [Fact]
    public async Task GetDefinitionAsync_UnknownWorkflowOrVersion_ReturnsNull()
    {
        await Store.SaveDefinitionAsync("wf", DefinitionFormats.Yaml, "x", Ct);

        Assert.Null(await Store.GetDefinitionAsync("wf", 2, Ct));
        Assert.Null(await Store.GetDefinitionAsync("other", 1, Ct));
        Assert.Null(await Store.GetLatestDefinitionAsync("other", Ct));
    }
}
