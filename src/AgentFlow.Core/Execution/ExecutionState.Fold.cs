using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

/// <summary>The per-event fold steps behind <see cref="ExecutionState.Apply"/>.</summary>
public sealed partial class ExecutionState
{
    private void OnStarted(ExecutionStarted e)
    {
        ExecutionId = e.ExecutionId;
        WorkflowId = e.WorkflowId;
        WorkflowVersion = e.WorkflowVersion;
        var inherits = e.InheritsParentContext && _parentScope.Kind == ValueKind.Object;
        Inputs = inherits ? _parentInputs : e.Inputs;
        _splitScope = inherits && !_parentScope.TryGetProperty("item", out _);
        _ownRoots = _splitScope ? e.Scope : default;
        _scope = _splitScope ? default : inherits ? _parentScope : e.Scope;
        ParentExecutionId = e.ParentExecutionId;
        ParentNodeId = e.ParentNodeId;
        SecretInputs = e.SecretInputs ?? [];
        StartedAt = e.Timestamp;
        Status = ExecutionStatus.Running;
        _executionValue = default;
        if (TryGetScopeRoot("vars", out var inherited) && inherited.Kind == ValueKind.Object)
        {
            foreach (var (name, value) in inherited.AsObject())
            {
                if (_variables?.ContainsKey(name) != true)
                {
                    SetVariable(name, value);
                }
            }
        }
    }

    private void OnNodeStarted(NodeStarted e)
    {
        var node = Node(e.NodeId);
        node.Attempt = e.Attempt;
        node.Parameters = e.Parameters;
        node.MarkStarted(e.Timestamp);
        node.WaitingOnTimer = false;
        SetActive(node, NodeStatus.Running);
    }

    private void OnNodeFailed(NodeFailed e)
    {
        var node = Node(e.NodeId);
        node.Attempt = e.Attempt;
        node.Error = e.Error;
        if (e.WillRetry)
        {
            SetActive(node, NodeStatus.Waiting);
            return;
        }

        node.Output = e.Output;
        Resolve(node, NodeStatus.Failed, e.Timestamp);
    }

    private NodeState Node(string nodeId)
    {
        NodeState? node;
        if (Graph is not null)
        {
            var index = IndexOf(nodeId);
            node = index >= 0 ? NodeArray[index] : throw new InvalidOperationException($"Event names unknown node '{nodeId}'.");
        }
        else if (!(_nodes ??= new(StringComparer.Ordinal)).TryGetValue(nodeId, out node))
        {
            node = new NodeState(nodeId, -1);
            _nodes.Add(nodeId, node);
        }

        node.Invalidate();
        return node;
    }

    private void SetActive(NodeState node, NodeStatus status)
    {
        if (node.IsResolved)
        {
            throw new InvalidOperationException($"Node '{node.NodeId}' is already {NodeState.StatusName(node.Status)}.");
        }

        if (node.Status is not (NodeStatus.Running or NodeStatus.Waiting))
        {
            ActiveNodes++;
        }

        node.Status = status;
    }

    private void Resolve(NodeState node, NodeStatus status, DateTimeOffset at)
    {
        if (node.IsResolved)
        {
            throw new InvalidOperationException($"Node '{node.NodeId}' is already {NodeState.StatusName(node.Status)}.");
        }

        if (node.Status is NodeStatus.Running or NodeStatus.Waiting)
        {
            ActiveNodes--;
        }

        node.Status = status;
        node.MarkResolved(at);
        ResolvedNodes++;
        if (Graph is not null)
        {
            foreach (var edge in Graph.Outgoing[node.Index])
            {
                NodeArray[Graph.Edges[edge].To].UnresolvedIncoming--;
            }
        }
    }

    private void SetVariable(string name, Value value)
    {
        _variables ??= new(StringComparer.Ordinal);
        if (!_variables.ContainsKey(name))
        {
            (_variableOrder ??= []).Add(name);
        }

        _variables[name] = value;
        _variablesDirty = true;
    }
}
