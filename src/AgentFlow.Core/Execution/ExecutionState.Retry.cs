using AgentFlow.Core.Events;

namespace AgentFlow.Core.Execution;

/// <summary>The fold of <see cref="ExecutionRetried"/>: reopening nodes of a failed execution.</summary>
public sealed partial class ExecutionState
{
    private void OnRetried(ExecutionRetried e)
    {
        if (Status != ExecutionStatus.Failed)
        {
            // Only a failed execution can be retried; the runtime never writes one otherwise, so a stray event is inert.
            return;
        }

        foreach (var nodeId in e.NodeIds)
        {
            Reopen(Node(nodeId));
        }

        Status = ExecutionStatus.Running;
        Error = null;
        FailedNodeId = null;
        FinishedAt = null;
    }

    /// <summary>Puts a resolved node back to pending, undoing what <see cref="Resolve"/> counted.</summary>
    private void Reopen(NodeState node)
    {
        if (node.IsResolved)
        {
            ResolvedNodes--;
            if (Graph is not null)
            {
                foreach (var edge in Graph.Outgoing[node.Index])
                {
                    NodeArray[Graph.Edges[edge].To].UnresolvedIncoming++;
                }
            }
        }
        else if (node.Status is NodeStatus.Running or NodeStatus.Waiting)
        {
            ActiveNodes--;
        }

        node.Status = NodeStatus.Pending;
        node.AttemptBase = node.Attempt;
        node.Output = default;
        node.Error = null;
        node.Branch = null;
        node.SkipReason = null;
        node.FinishedAt = null;
        node.DueAt = null;
        node.WaitingOnTimer = false;
    }
}
