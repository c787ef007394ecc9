using AgentFlow.Core.Building;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

/// <summary>Regression: progress reached only watchers present when the node was dispatched, so an API client that
/// connected right after starting an execution never saw the first node's tokens.</summary>
public sealed class ProgressAfterDispatchTests
{
    [Fact]
    public async Task WatchUpdatesAsync_WatcherAttachesWhileNodeRuns_SeesItsProgress()
    {
        using var fx = new RuntimeFixture();
        var talker = new LateTalker();
        fx.Registry.Register("talk", talker);
        var handle = await fx.StartAsync(new WorkflowBuilder("p").Node("t", "talk").Build());
        await talker.Entered.Task.WaitAsync(RuntimeFixture.Guard);

        var updates = new List<ExecutionUpdate>();
        await using var watcher = handle.WatchUpdatesAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await watcher.MoveNextAsync());
        talker.Speak.TrySetResult();
        while (await watcher.MoveNextAsync().AsTask().WaitAsync(RuntimeFixture.Guard))
        {
            updates.Add(watcher.Current);
        }

        var progress = Assert.Single(updates.OfType<NodeProgressUpdate>());
        Assert.Equal(("t", Value.From("late token")), (progress.NodeId, progress.Partial));
    }

    /// <summary>Starts, waits until told, then reports one token.</summary>
    private sealed class LateTalker : INodeExecutor
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Speak { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Speak.Task.WaitAsync(cancellationToken);
            context.Progress.Report("late token");
            return Value.Null;
        }
    }
}
