using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;

namespace AgentFlow.Stores.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task GetExecutionAsync_AfterStart_RowReflectsTheLog()
    {
        await Store.AppendAsync("c1", 0, [TestEvents.Started("c1", T0.AddSeconds(5), "review", 3, parent: "p1"), TestEvents.Node("c1", 2, T0.AddSeconds(6))], Ct);

        var row = await Store.GetExecutionAsync("c1", Ct);

        Assert.NotNull(row);
        Assert.Equal(("review", 3, ExecutionStatus.Running, "p1", 2L), (row.WorkflowId, row.WorkflowVersion, row.Status, row.ParentExecutionId, row.LastSequence));
        Assert.Equal((T0.AddSeconds(5), T0.AddSeconds(6), (DateTimeOffset?)null), (row.CreatedAt, row.UpdatedAt, row.FinishedAt));
        Assert.Empty(row.Labels);
    }

    [Fact]
    public async Task GetExecutionAsync_UnknownExecution_ReturnsNull() =>
        Assert.Null(await Store.GetExecutionAsync("missing", Ct));

    [Fact]
    public async Task AppendAsync_CancelRequestedThenCancelled_StatusGoesCancellingThenCancelled()
    {
        await StartAsync("e1");

        await Store.AppendAsync("e1", 1, [new ExecutionCancelRequested("e1", 2, T0.AddSeconds(1))], Ct);
        var cancelling = await Store.GetExecutionAsync("e1", Ct);
        await Store.AppendAsync("e1", 2, [new ExecutionCancelled("e1", 3, T0.AddSeconds(2))], Ct);
        var cancelled = await Store.GetExecutionAsync("e1", Ct);

        Assert.Equal((ExecutionStatus.Cancelling, (DateTimeOffset?)null), (cancelling!.Status, cancelling.FinishedAt));
        Assert.Equal((ExecutionStatus.Cancelled, (DateTimeOffset?)T0.AddSeconds(2), 3L), (cancelled!.Status, cancelled.FinishedAt, cancelled.LastSequence));
    }

    [Theory]
    [InlineData(true, ExecutionStatus.Succeeded)]
    [InlineData(false, ExecutionStatus.Failed)]
    public async Task AppendAsync_TerminalEvent_StatusAndFinishTimeSet(bool succeed, ExecutionStatus expected)
    {
        await StartAsync("e1");
        ExecutionEvent end = succeed
            ? new ExecutionCompleted("e1", 2, T0.AddMinutes(1), Value.Null)
            : new ExecutionFailed("e1", 2, T0.AddMinutes(1), new ErrorInfo("boom", "failed"));

        await Store.AppendAsync("e1", 1, [end], Ct);

        var row = await Store.GetExecutionAsync("e1", Ct);
        Assert.Equal((expected, (DateTimeOffset?)T0.AddMinutes(1)), (row!.Status, row.FinishedAt));
    }

    [Fact]
    public async Task QueryExecutionsAsync_EachFilter_ReturnsOnlyMatchingRowsNewestFirst()
    {
        await StartAsync("a", T0.AddSeconds(1), "alpha");
        await StartAsync("b", T0.AddSeconds(2), "alpha", parent: "a");
        await StartAsync("c", T0.AddSeconds(3), "beta");
        await Store.AppendAsync("c", 1, [new ExecutionCompleted("c", 2, T0.AddSeconds(4), Value.Null)], Ct);
        await StartAsync("d", T0.AddSeconds(4), "beta", parent: "a");
        await Store.SetLabelsAsync("a", new Dictionary<string, string> { ["team"] = "red", ["env"] = "prod" }, Ct);
        await Store.SetLabelsAsync("d", new Dictionary<string, string> { ["team"] = "red" }, Ct);

        async Task<string[]> Ids(ExecutionQuery q) => [.. (await Store.QueryExecutionsAsync(q, Ct)).Items.Select(r => r.ExecutionId)];

        Assert.Equal(["d", "c", "b", "a"], await Ids(new ExecutionQuery()));
        Assert.Equal(["d", "b", "a"], await Ids(new ExecutionQuery(Statuses: [ExecutionStatus.Running, ExecutionStatus.Cancelling])));
        Assert.Equal(["c"], await Ids(new ExecutionQuery(Statuses: [ExecutionStatus.Succeeded])));
        Assert.Equal(["b", "a"], await Ids(new ExecutionQuery(WorkflowId: "alpha")));
        Assert.Equal(["c", "b"], await Ids(new ExecutionQuery(CreatedFrom: T0.AddSeconds(2), CreatedBefore: T0.AddSeconds(4))));
        Assert.Equal(["d", "b"], await Ids(new ExecutionQuery(ParentExecutionId: "a")));
        Assert.Equal(["d", "a"], await Ids(new ExecutionQuery(Labels: new Dictionary<string, string> { ["team"] = "red" })));
        Assert.Equal(["a"], await Ids(new ExecutionQuery(Labels: new Dictionary<string, string> { ["team"] = "red", ["env"] = "prod" })));
        Assert.Empty(await Ids(new ExecutionQuery(Labels: new Dictionary<string, string> { ["team"] = "blue" })));
        Assert.Equal(["d"], await Ids(new ExecutionQuery(WorkflowId: "beta", Statuses: [ExecutionStatus.Running], Labels: new Dictionary<string, string> { ["team"] = "red" })));
    }

    [Fact]
    public async Task QueryExecutionsAsync_PagedWhileRowsAreAdded_EveryRowOnceNewestFirst()
    {
        // Pairs share a created time, so the execution id must break ties for the keyset to be exact.
        for (var i = 0; i < 25; i++)
        {
            await StartAsync($"e{i:D2}", T0.AddSeconds(i / 2));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.QueryExecutionsAsync(new ExecutionQuery(PageSize: 10, PageToken: token), Ct);
            seen.AddRange(page.Items.Select(r => r.ExecutionId));
            token = page.NextPageToken;
            pages++;
            await StartAsync($"late{pages}", T0.AddHours(1));
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"e{i:D2}").Reverse(), seen);
    }

    [Fact]
    public async Task QueryExecutionsAsync_ExactlyOnePageOfRows_HasNoNextToken()
    {
        for (var i = 0; i < 3; i++)
        {
            await StartAsync($"e{i}", T0.AddSeconds(i));
        }

        var page = await Store.QueryExecutionsAsync(new ExecutionQuery(PageSize: 3), Ct);

        Assert.Equal(3, page.Items.Count);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task QueryExecutionsAsync_ForgedPageToken_ThrowsArgumentException() =>
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.QueryExecutionsAsync(new ExecutionQuery(PageToken: "not-a-token"), Ct));

    [Fact]
    public async Task SetLabelsAsync_TwoCalls_MergesAndOverwrites()
    {
        await StartAsync("e1");

        Assert.True(await Store.SetLabelsAsync("e1", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, Ct));
        Assert.True(await Store.SetLabelsAsync("e1", new Dictionary<string, string> { ["b"] = "3" }, Ct));

        var labels = (await Store.GetExecutionAsync("e1", Ct))!.Labels;
        Assert.Equal([("a", "1"), ("b", "3")], labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => (l.Key, l.Value)));
        Assert.Empty((await Store.QueryExecutionsAsync(new ExecutionQuery(Labels: new Dictionary<string, string> { ["b"] = "2" }), Ct)).Items);
    }

    [Fact]
    public async Task SetLabelsAsync_UnknownExecution_ReturnsFalseAndCreatesNoRow()
    {
        Assert.False(await Store.SetLabelsAsync("missing", new Dictionary<string, string> { ["a"] = "1" }, Ct));

        Assert.Null(await Store.GetExecutionAsync("missing", Ct));
    }
}
