using AgentFlow.Core.Definitions;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Execution;

/// <summary>What a map node needs to know about its body, worked out once per body rather than on every map run.</summary>
internal sealed class MapBody
{
    private MapBody(string? singleSink, string[] breakNodes)
    {
        SingleSink = singleSink;
        BreakNodes = breakNodes;
    }

    /// <summary>The id of the body's only sink node (an item's result is then that node's output), or null.</summary>
    public string? SingleSink { get; }

    /// <summary>The ids of the body's break nodes: an item in which one succeeded ends the map.</summary>
    public string[] BreakNodes { get; }

    public static MapBody Of(WorkflowDefinition body)
    {
        var sources = body.Edges.Select(e => e.From).ToHashSet(StringComparer.Ordinal);
        var sinks = body.Nodes.Where(n => !sources.Contains(n.Id)).Take(2).ToList();
        var breaks = body.Nodes.Where(n => n.Kind == NodeKinds.Break).Select(n => n.Id).ToArray();
        return new MapBody(sinks.Count == 1 ? sinks[0].Id : null, breaks);
    }

    /// <summary>An item's result: its single sink's output when the body declares no outputs, else its outputs.</summary>
    public Value ItemResult(WorkflowDefinition body, ExecutionState state) =>
        SingleSink is { } sink && body.Outputs.IsEmpty && state.Outputs.Kind == ValueKind.Object ? state.Outputs[sink] : state.Outputs;

    /// <summary>Whether a break node of the body succeeded in this item.</summary>
    public bool EndedByBreak(ExecutionState state)
    {
        foreach (var id in BreakNodes)
        {
            if (state.GetNode(id)?.Status == NodeStatus.Succeeded)
            {
                return true;
            }
        }

        return false;
    }
}
