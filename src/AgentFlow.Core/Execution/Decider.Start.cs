using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

public sealed partial class Decider
{
    private const string ExpressionCode = "expression";
    private ExecutionScope? _scope;

    /// <summary>
    /// The decision that starts attempt <paramref name="attempt"/> of a node: parameters resolved against the current
    /// scope; condition/switch nodes are evaluated here and completed at once; evaluation errors fail the node.
    /// </summary>
    public Decision PrepareStart(ExecutionState state, int nodeIndex, int attempt)
    {
        ArgumentNullException.ThrowIfNull(state);
        var node = _graph.Nodes[nodeIndex];
        var scope = ScopeFor(state);
        Value parameters;
        try
        {
            parameters = node.Parameters.Evaluate(scope);
        }
        catch (ExpressionEvaluationException ex)
        {
            return new FailNode(node.Id, attempt, default, ExpressionError(node.Id, "parameters", ex));
        }

        if (node.Kind is NodeKinds.Condition or NodeKinds.Switch)
        {
            return ChooseBranch(node, attempt, parameters, scope);
        }

        if (node.Kind == NodeKinds.Map)
        {
            return PrepareMap(node, attempt, parameters, scope, nodeIndex);
        }

        return new StartNode(nodeIndex, node.Id, attempt, parameters);
    }

    /// <summary>Decides what a failed attempt leads to: a retry with backoff, or a final failure per the error strategy.</summary>
    public FailureResolution ResolveFailure(ExecutionState state, string nodeId, int attempt, ErrorInfo error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(error);
        var index = _graph.IndexOf(nodeId);
        var node = _graph.Nodes[index];
        var policy = node.Retry;

        // Attempts count from the last ExecutionRetried that reopened the node, so a retried node gets its whole budget.
        var counted = attempt - state.NodeArray[index].AttemptBase;
        if (state.Status is ExecutionStatus.Running or ExecutionStatus.Paused && counted < policy.MaxAttempts && RetryBackoff.Matches(policy, error))
        {
            var delay = RetryBackoff.Delay(policy, counted, state.ExecutionId, nodeId);
            return new FailureResolution(error, true, attempt + 1, now + delay, default);
        }

        if (node.OnError == ErrorStrategy.Fallback && node.Fallback is not null)
        {
            try
            {
                return new FailureResolution(error, false, 0, default, node.Fallback.Evaluate(ScopeFor(state)));
            }
            catch (ExpressionEvaluationException ex)
            {
                // The fallback itself is broken: nothing sensible can flow downstream, so this fails the workflow.
                return new FailureResolution(ExpressionError(nodeId, "fallback", ex), false, 0, default, default);
            }
        }

        return new FailureResolution(error, false, 0, default, default);
    }

    private static Decision ChooseBranch(NodeDefinition node, int attempt, Value parameters, ExecutionScope scope)
    {
        string? chosen = null;
        string? fallback = null;
        foreach (var branch in node.Branches)
        {
            if (branch.When is null)
            {
                fallback ??= branch.Name;
                continue;
            }

            try
            {
                if (branch.When.Evaluate(scope).IsTruthy)
                {
                    chosen = branch.Name;
                    break;
                }
            }
            catch (ExpressionEvaluationException ex)
            {
                return new FailNode(node.Id, attempt, parameters, ExpressionError(node.Id, $"branch '{branch.Name}'", ex));
            }
        }

        chosen ??= fallback;
        return new CompleteNode(node.Id, attempt, parameters, Value.Object(("branch", chosen)), chosen);
    }

    private static Decision PrepareMap(NodeDefinition node, int attempt, Value parameters, ExecutionScope scope, int nodeIndex)
    {
        if (node.Items is null)
        {
            return new FailNode(node.Id, attempt, parameters, new ErrorInfo("map.items", $"Map node '{node.Id}' has no items."));
        }

        Value items;
        try
        {
            items = node.Items.Evaluate(scope);
        }
        catch (ExpressionEvaluationException ex)
        {
            return new FailNode(node.Id, attempt, parameters, ExpressionError(node.Id, "items", ex));
        }

        if (items.Kind != ValueKind.Array)
        {
            return new FailNode(node.Id, attempt, parameters, new ErrorInfo("map.items", $"Map node '{node.Id}': items must be an array but was {items.KindName}."));
        }

        // The items are part of the recorded parameters so a resumed run iterates exactly the same array.
        var withItems = parameters.Kind == ValueKind.Object ? parameters.AsObject().With("items", items) : ValueObject.Empty.With("items", items);
        return new StartNode(nodeIndex, node.Id, attempt, Value.From(withItems));
    }

    /// <summary>Whether an edge whose source is resolved is taken; an error when its <c>when</c> fails to evaluate.</summary>
    private bool EdgeTaken(ExecutionState state, int edgeIndex, out ErrorInfo? error)
    {
        error = null;
        var edge = _graph.Edges[edgeIndex];
        var source = state.NodeArray[edge.From];
        var proceeds = source.Status == NodeStatus.Succeeded
            || (source.Status == NodeStatus.Failed && _graph.Nodes[edge.From].OnError != ErrorStrategy.Fail);
        if (!proceeds)
        {
            return false;
        }

        if (edge.Branch is not null && !string.Equals(edge.Branch, source.Branch, StringComparison.Ordinal))
        {
            return false;
        }

        if (edge.When is null)
        {
            return true;
        }

        try
        {
            return edge.When.Evaluate(ScopeFor(state)).IsTruthy;
        }
        catch (ExpressionEvaluationException ex)
        {
            var target = _graph.Nodes[edge.To].Id;
            error = ExpressionError(target, $"edge from '{source.NodeId}' (when)", ex);
            return false;
        }
    }

    private void Complete(ExecutionState state, List<Decision> decisions)
    {
        for (var i = 0; i < _graph.Count; i++)
        {
            if (_graph.IsControl[i] && state.NodeArray[i].Status == NodeStatus.Succeeded)
            {
                // A map item ended by break/continue has no result.
                decisions.Add(new CompleteExecution(Value.Null));
                return;
            }
        }

        var outputs = _graph.Definition.Outputs;
        if (outputs.IsEmpty)
        {
            var count = 0;
            for (var i = 0; i < _graph.Count; i++)
            {
                count += _graph.IsSink[i] ? 1 : 0;
            }

            var sinks = new KeyValuePair<string, Value>[count];
            count = 0;
            for (var i = 0; i < _graph.Count; i++)
            {
                if (_graph.IsSink[i])
                {
                    sinks[count++] = new(_graph.Nodes[i].Id, state.NodeArray[i].Output);
                }
            }

            decisions.Add(new CompleteExecution(Value.From(ValueObject.FromEntries(sinks, count))));
            return;
        }

        var scope = ScopeFor(state);
        var values = new KeyValuePair<string, Value>[outputs.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            try
            {
                values[i] = new(outputs[i].Name, outputs[i].Value.Evaluate(scope));
            }
            catch (ExpressionEvaluationException ex)
            {
                decisions.Add(new FailExecution(new ErrorInfo(ExpressionCode, $"Output '{outputs[i].Name}': {ex.Message}"), null));
                return;
            }
        }

        decisions.Add(new CompleteExecution(Value.From(ValueObject.FromEntries(values, values.Length))));
    }

    /// <summary>
    /// One scope object per state, reused: it only wraps the state, so it needs no refresh. A single reference is
    /// read and written, so a decider shared between threads still never hands out another state's scope.
    /// </summary>
    private ExecutionScope ScopeFor(ExecutionState state)
    {
        var scope = _scope;
        if (scope is null || !ReferenceEquals(scope.State, state))
        {
            scope = new ExecutionScope(state, _time);
            _scope = scope;
        }

        return scope;
    }

    private static ErrorInfo ExpressionError(string nodeId, string what, ExpressionEvaluationException ex) =>
        new(ExpressionCode, $"Node '{nodeId}' {what}: {ex.Message}", Value.Object(("expression", ex.ExpressionText)));
}
