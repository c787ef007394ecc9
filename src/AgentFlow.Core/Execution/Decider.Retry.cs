using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;

namespace AgentFlow.Core.Execution;

public sealed partial class Decider
{
    /// <summary>
    /// The nodes an <see cref="ExecutionRetried"/> reopens in a failed execution, in graph order: nodes whose failure
    /// fails the workflow, nodes cancelled when it failed, and (transitively) successors of those that were skipped or
    /// cancelled, since their verdict depended on a node that will now run again. Succeeded nodes, and nodes that failed
    /// under a continue or fallback strategy, keep their outcome.
    /// </summary>
    /// <exception cref="InvalidOperationException">The execution has not failed.</exception>
    public IReadOnlyList<string> PlanRetry(ExecutionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status != ExecutionStatus.Failed)
        {
            throw new InvalidOperationException($"Execution '{state.ExecutionId}' has not failed; only a failed execution can be retried.");
        }

        var reopen = new bool[_graph.Count];
        var pending = new Stack<int>();
        foreach (var node in state.NodeArray)
        {
            var failedTheWorkflow = node.Status == NodeStatus.Failed && _graph.Nodes[node.Index].OnError == ErrorStrategy.Fail;
            if (failedTheWorkflow || node.Status is NodeStatus.Cancelled or NodeStatus.Running or NodeStatus.Waiting)
            {
                reopen[node.Index] = true;
                pending.Push(node.Index);
            }
        }

        while (pending.TryPop(out var index))
        {
            foreach (var successor in _graph.Successors[index])
            {
                if (!reopen[successor] && state.NodeArray[successor].Status is NodeStatus.Skipped or NodeStatus.Cancelled)
                {
                    reopen[successor] = true;
                    pending.Push(successor);
                }
            }
        }

        var nodeIds = new List<string>();
        for (var i = 0; i < reopen.Length; i++)
        {
            if (reopen[i])
            {
                nodeIds.Add(_graph.Nodes[i].Id);
            }
        }

        return nodeIds;
    }
}
