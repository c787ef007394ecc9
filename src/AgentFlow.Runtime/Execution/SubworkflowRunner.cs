using System.Globalization;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Execution;

/// <summary>Runs a sub-workflow node: the child (inline body or reference) gets the node's parameters as inputs.</summary>
internal static class SubworkflowRunner
{
    public static async Task<Value> RunAsync(ExecutionRunner parent, NodeContext context, CancellationToken cancellationToken)
    {
        var node = context.Node;
        var root = parent.Graph.Root;
        var child = node.Body
            ?? (node.WorkflowRef is { } reference && root.Workflows.TryGetValue(reference, out var found) ? found : null)
            ?? throw new NodeExecutionException(
                "subworkflow.unknown",
                node.WorkflowRef is null
                    ? $"Sub-workflow node '{node.Id}' has neither a body nor a workflow reference."
                    : $"Sub-workflow node '{node.Id}' refers to unknown workflow '{node.WorkflowRef}' (declared: {string.Join(", ", root.Workflows.Keys)}).",
                retryable: false);

        var (inputs, errors) = InputBinder.Bind(child, context.Parameters);
        if (errors.Count > 0)
        {
            throw new NodeExecutionException(
                "subworkflow.inputs",
                $"Sub-workflow node '{node.Id}': invalid inputs for '{child.Id}': {string.Join("; ", errors.Select(e => e.Message))}",
                retryable: false);
        }

        var childId = string.Create(CultureInfo.InvariantCulture, $"{context.ExecutionId}/{node.Id}/{context.Attempt}");
        var state = await parent.Runtime.RunChildAsync(parent, child, childId, inputs, node.Id, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return state.Status switch
        {
            ExecutionStatus.Succeeded => state.Outputs,
            ExecutionStatus.Failed => throw new NodeExecutionException(
                "subworkflow.failed",
                $"Sub-workflow '{child.Id}' ({childId}) failed: {state.Error?.Code}: {state.Error?.Message}",
                state.Error?.Retryable ?? false,
                Value.Object(("executionId", childId), ("error", state.Error?.ToValue() ?? Value.Null))),
            _ => throw new OperationCanceledException($"Sub-workflow '{child.Id}' was cancelled."),
        };
    }
}
