using AgentFlow.Core.Events;
using AgentFlow.Core.Values;
using AgentFlow.Stores.InMemory;

namespace AgentFlow.Stores.Tests;

/// <summary>The in-memory store keeps finished logs encoded (CompactEventLogs): what that must not change.</summary>
public sealed class InMemoryWorkflowStoreLogTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(1));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadAsync_FinishedLogs_DecodeEqualEventsAndRetryThawsOne(bool freezeInBackground)
    {
        await using var store = new InMemoryWorkflowStore(null, freezeInBackground);
        var failed = Log("a", new ExecutionFailed("a", 4, At, new ErrorInfo("boom", "x", Value.Object(("n", 1)), Retryable: true), "node-2"));
        var done = Log("b", new ExecutionCompleted("b", 4, At, Value.Array(1, 2, 3)));
        await store.AppendAsync("a", 0, failed, default);
        await store.AppendAsync("b", 0, done[..2], default);
        await store.AppendAsync("b", 2, done[2..], default);
        await store.AppendAsync("c", 0, Log("c", new ExecutionCancelled("c", 4, At)), default);
        await store.WhenFrozenAsync(default);

        var readA = await store.ReadAsync("a", 0, default);
        var tailB = await store.ReadAsync("b", 3, default);
        await Assert.ThrowsAsync<EventStoreConcurrencyException>(() => store.AppendAsync("a", 3, [new ExecutionRetried("a", 4, At, ["node-2"])], default).AsTask());
        await store.AppendAsync("a", 4, [new ExecutionRetried("a", 5, At, ["node-2"])], default);

        Assert.Equal(failed, readA);
        Assert.NotSame(failed[0], readA[0]);
        Assert.Equal(done[2..], tailB);
        Assert.Equal([.. failed, new ExecutionRetried("a", 5, At, ["node-2"])], await store.ReadAsync("a", 1, default));
        Assert.Equal(AgentFlow.Core.Execution.ExecutionStatus.Running, (await store.GetExecutionAsync("a", default))!.Status);
        Assert.Equal(0, store.FreezeFailures);
    }

    private static ExecutionEvent[] Log(string id, ExecutionEvent last) =>
    [
        TestEvents.Started(id, At),
        TestEvents.Node(id, 2, At),
        TestEvents.Node(id, 3, At),
        last,
    ];
}
