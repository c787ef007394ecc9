using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;
using AgentFlow.Testing;

namespace AgentFlow.Core.Tests.Execution;

public sealed class ExecutionScopeTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NodeOutput_OwnNodeAndParentNode_ReadWithoutTheNodeObject()
    {
        var parentNode = Value.Object(("output", Value.Object(("k", 10))), ("status", "succeeded"));
        var scope = ScopeOf(
            new ExecutionStarted("c", 1, At, "w", 1, Value.Null, "p", "m", Value.Object(("nodes", Value.Object(("factor", parentNode))))),
            new NodeStarted("c", 2, At, "own", 1, Value.Null),
            new NodeSucceeded("c", 3, At, "own", 1, Value.Object(("v", 2)), null));

        Assert.Equal(Value.From(2), Expression.Parse("nodes.own.output.v").Evaluate(scope));
        Assert.Equal(Value.From(10), Expression.Parse("nodes['factor'].output.k").Evaluate(scope));

        // The same reads through the whole node object agree.
        Assert.Equal(Value.From("succeeded"), Expression.Parse("nodes.own.status").Evaluate(scope));
        Assert.Equal(Value.From(10), Expression.Parse("nodes.factor['output'].k").Evaluate(scope));
    }

    [Fact]
    public void NodeOutput_RunningNode_IsNullAndUnknownNodeFails()
    {
        var scope = ScopeOf(
            new ExecutionStarted("c", 1, At, "w", 1, Value.Null, null, null, Value.Null),
            new NodeStarted("c", 2, At, "busy", 1, Value.Null));

        Assert.Equal(Value.Null, Expression.Parse("nodes.busy.output").Evaluate(scope));
        var error = Assert.Throws<ExpressionEvaluationException>(() => Expression.Parse("nodes.ghost.output").Evaluate(scope));
        Assert.Contains("Unknown node 'ghost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapItem_GivenOnlyTheParentsLexicalScope_ReadsItemFromItsLogAndNodesAndVarsFromTheParent()
    {
        var parentNode = Value.Object(("output", Value.Object(("k", 10))), ("status", "succeeded"));
        var lexical = Value.Object(("nodes", Value.Object(("factor", parentNode))), ("vars", Value.Object(("total", 5))));
        var state = new ExecutionState();
        state.ProvideParentContext(Value.Object(("n", 1)), lexical);
        state.Apply(new ExecutionStarted("c", 1, At, "w", 1, Value.EmptyObject, "p", "m", Value.Object(("item", "x"), ("index", 3))) { InheritsParentContext = true });
        var scope = new ExecutionScope(state, new FakeTimeProvider());

        Assert.Equal(Value.From("x3"), Expression.Parse("item + index").Evaluate(scope));
        Assert.Equal(Value.From(15), Expression.Parse("nodes.factor.output.k + vars.total").Evaluate(scope));
        Assert.Equal(Value.From(1), Expression.Parse("inputs.n").Evaluate(scope));

        // As one object (asked for by hosts and reports), the item's roots come first, then the parent's.
        Assert.Equal(Value.Object(("item", "x"), ("index", 3), ("nodes", lexical["nodes"]), ("vars", lexical["vars"])), state.Scope);
        Assert.Equal(Value.Object(("total", 5)), state.VariablesValue);
    }

    [Fact]
    public void MapItem_GivenTheWholeItemScope_ReadsItAsBefore()
    {
        var whole = Value.Object(("item", "y"), ("index", 0), ("nodes", Value.EmptyObject), ("vars", Value.EmptyObject));
        var state = new ExecutionState();
        state.ProvideParentContext(Value.EmptyObject, whole);
        state.Apply(new ExecutionStarted("c", 1, At, "w", 1, Value.EmptyObject, "p", "m", Value.Object(("item", "ignored"), ("index", 9))) { InheritsParentContext = true });

        Assert.Equal(whole, state.Scope);
        Assert.True(state.TryGetScopeRoot("item", out var item));
        Assert.Equal(Value.From("y"), item);
    }

    private static ExecutionScope ScopeOf(params ExecutionEvent[] events) => new(ExecutionState.Replay(events), new FakeTimeProvider());
}
