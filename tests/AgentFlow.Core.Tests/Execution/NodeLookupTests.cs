using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Execution;

public sealed class NodeLookupTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void GetNode_AlternatingAndCopiedIds_FindsEachNode()
    {
        var graph = CompiledGraph.Compile(ReplayTests.Diamond());
        var state = new ExecutionState(graph);

        foreach (var id in new[] { "a", "d", "d", "b", new string("d".AsSpan()), "c", "a", "missing", "a" })
        {
            var node = state.GetNode(id);
            Assert.Equal(graph.IndexOf(id), node?.Index ?? -1);
            Assert.Equal(id == "missing" ? null : id, node?.NodeId);
        }
    }

    [Fact]
    public void Decide_StateOfAnotherCompilationOfTheDefinition_StartsTheSuccessors()
    {
        // The decider looks the event's node up in its own graph when the state was folded with another one.
        var definition = ReplayTests.Diamond();
        var state = new ExecutionState(CompiledGraph.Compile(definition));
        var decider = new Decider(CompiledGraph.Compile(definition), TimeProvider.System);
        state.Apply(new ExecutionStarted("e", 1, T0, "diamond", 1, Value.EmptyObject));
        state.Apply(new NodeStarted("e", 2, T0, "a", 1, Value.Object(("v", 1))));
        var succeeded = new NodeSucceeded("e", 3, T0, "a", 1, Value.Object(("v", 1)));
        state.Apply(succeeded);

        var started = decider.Decide(state, succeeded).Cast<StartNode>().Select(s => s.NodeId);

        Assert.Equal(["b", "c"], started);
    }
}
