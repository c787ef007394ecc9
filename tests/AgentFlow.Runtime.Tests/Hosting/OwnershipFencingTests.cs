using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Runtime.Tests.Hosting;

/// <summary>
/// A runner whose append conflicts (another writer, i.e. a new owner, appended first) stops at once and records
/// nothing: no NodeFailed, no ExecutionFailed, on its own log or its parent's.
/// </summary>
public sealed class OwnershipFencingTests
{
    [Fact]
    public async Task RootAppendConflict_RunnerStopsRecordingNothing_CompletionReportsLostOwnership()
    {
        using var fx = new RuntimeFixture();
        var definition = new WorkflowBuilder("w").Node("ask", "wait", with: Value.Object(("signal", "go"))).Node("after", "noop", needs: ["ask"]).Build();
        var handle = await fx.StartAsync(definition);
        var before = await WaitForStartedAsync(fx, handle.ExecutionId, "ask");

        // The new owner writes first.
        await fx.Runtime.Store.AppendAsync(handle.ExecutionId, before[^1].Sequence, [new ExecutionCancelRequested(handle.ExecutionId, before[^1].Sequence + 1, fx.Time.GetUtcNow(), "new owner")], CancellationToken.None);
        await fx.Runtime.SignalAsync(handle.ExecutionId, "go", 1, CancellationToken.None);

        var lost = await Assert.ThrowsAsync<ExecutionOwnershipLostException>(() => handle.Completion.WaitAsync(RuntimeFixture.Guard));
        Assert.Equal(handle.ExecutionId, lost.ExecutionId);
        var log = await fx.LogAsync(handle.ExecutionId);
        Assert.Equal(before.Count + 1, log.Count);
        Assert.IsType<ExecutionCancelRequested>(log[^1]);
        AssertContiguous(log);
        Assert.Null(fx.Runtime.GetHandle(handle.ExecutionId));
    }

    [Fact]
    public async Task MapChildAppendConflict_PropagatesAsLostOwnershipOfTheRoot_NotAsAFailure()
    {
        using var fx = new RuntimeFixture();
        var body = new WorkflowBuilder("body").Node("ask", "wait", with: Value.Object(("signal", "go"))).Build();
        var definition = new WorkflowBuilder("m").Map("items", "${{ [1, 2] }}", body, concurrency: 2).Node("after", "noop", needs: ["items"]).Build();
        var handle = await fx.StartAsync(definition);
        const string Child = "exec-1/items/1/1";
        const string Sibling = "exec-1/items/1/0";
        var childBefore = await WaitForStartedAsync(fx, Child, "ask");
        var siblingBefore = await WaitForStartedAsync(fx, Sibling, "ask");
        var rootBefore = await fx.LogAsync(handle.ExecutionId);

        // Another worker took the execution over and wrote to the child's log first; then this runner appends.
        await fx.Runtime.Store.AppendAsync(Child, childBefore[^1].Sequence, [new ExecutionCancelRequested(Child, childBefore[^1].Sequence + 1, fx.Time.GetUtcNow(), "new owner")], CancellationToken.None);
        await fx.Runtime.SignalAsync(Child, "go", 1, CancellationToken.None);

        var lost = await Assert.ThrowsAsync<ExecutionOwnershipLostException>(() => handle.Completion.WaitAsync(RuntimeFixture.Guard));
        Assert.Equal(handle.ExecutionId, lost.ExecutionId);
        Assert.Equal(Child, lost.Conflict?.ExecutionId);

        // Nothing more recorded: not on the root (no NodeFailed/ExecutionFailed), not on the conflicting child, and
        // the sibling, detached, did not record the cancellation the root's stop passed on.
        var rootLog = await fx.LogAsync(handle.ExecutionId);
        Assert.Equal(rootBefore.Count, rootLog.Count);
        Assert.DoesNotContain(rootLog, e => e is NodeFailed or ExecutionFailed or ExecutionCancelRequested);
        var childLog = await fx.LogAsync(Child);
        Assert.Equal(childBefore.Count + 1, childLog.Count);
        AssertContiguous(childLog);
        using var guard = new CancellationTokenSource(RuntimeFixture.Guard);
        while (fx.Runtime.ActiveExecutionIds.Count > 0)
        {
            await Task.Delay(5, guard.Token);
        }

        Assert.Equal(siblingBefore.Count, (await fx.LogAsync(Sibling)).Count);
    }

    private static async Task<IReadOnlyList<ExecutionEvent>> WaitForStartedAsync(RuntimeFixture fx, string executionId, string nodeId)
    {
        using var guard = new CancellationTokenSource(RuntimeFixture.Guard);
        while (true)
        {
            var log = await fx.LogAsync(executionId);
            if (log.Any(e => e is NodeStarted started && started.NodeId == nodeId))
            {
                return log;
            }

            await Task.Delay(5, guard.Token);
        }
    }

    private static void AssertContiguous(IReadOnlyList<ExecutionEvent> log)
    {
        for (var i = 0; i < log.Count; i++)
        {
            Assert.Equal(i + 1, log[i].Sequence);
        }
    }
}
