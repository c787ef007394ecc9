using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

/// <summary>The runner batches appends, but never lets a node with outside effects run before its start is stored.</summary>
public sealed class DurableDispatchTests
{
    [Fact]
    public async Task Dispatch_NodeWithEffects_RunsOnlyOnceItsStartIsStored()
    {
        using var fx = new RuntimeFixture();
        var probe = new StoreProbe(fx.Runtime);
        fx.Registry.Register("probe", probe);
        var definition = new WorkflowBuilder("durable-start")
            .Node("a", "noop")
            .Node("b", "transform", Value.Object(("x", 1)), needs: ["a"])
            .Node("effect", "probe", needs: ["b"])
            .Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.True(probe.SawOwnStart);
    }

    /// <summary>Looks in the store, from inside the executor, for its own NodeStarted.</summary>
    private sealed class StoreProbe(WorkflowRuntime runtime) : INodeExecutor
    {
        public bool SawOwnStart { get; private set; }

        public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
        {
            var log = await runtime.Store.ReadAsync(context.ExecutionId, 1, cancellationToken);
            SawOwnStart = log.Any(e => e is NodeStarted s && s.NodeId == context.Node.Id);
            return Value.Null;
        }
    }
}
