using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Execution;

/// <summary>One map run's items so far: their results in item order, a break that ends the map, the first failure.</summary>
internal sealed class MapProgress(MapBody shape, WorkflowDefinition body, int count)
{
    private static readonly ErrorInfo ItemFailedWithoutError = new("failed", "The item failed.");
    private readonly Value[] _results = new Value[count];
    private bool _stopped;
    private (int Index, ErrorInfo Error)? _failure;

    /// <summary>Items handed out so far (the next item's index).</summary>
    public int Started { get; private set; }

    /// <summary>Whether another item may start: items are left, no break ended the map and no item failed.</summary>
    public bool MayStartMore => Started < _results.Length && !_stopped && _failure is null;

    /// <summary>Hands out the next item's index.</summary>
    public int StartNext() => Started++;

    /// <summary>Records how an item ended; true when it is the first failure (which fails the map).</summary>
    public bool Settle(int index, ExecutionState state)
    {
        switch (state.Status)
        {
            case ExecutionStatus.Succeeded:
                _results[index] = shape.ItemResult(body, state);
                _stopped |= shape.EndedByBreak(state);
                return false;
            case ExecutionStatus.Failed when _failure is null:
                _failure = (index, state.Error ?? ItemFailedWithoutError);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The error code of a map that failed because an item failed.</summary>
    public const string ItemFailedCode = "map.item";

    /// <summary>The items' results once no item runs any more; throws for a cancelled map or a failed item.</summary>
    public ValueArray Conclude(NodeDefinition node, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_failure is { } f)
        {
            throw new NodeExecutionException(
                ItemFailedCode,
                $"Map node '{node.Id}' item {f.Index} failed: {f.Error.Code}: {f.Error.Message}",
                f.Error.Retryable,
                Value.Object(("index", f.Index), ("error", f.Error.ToValue())));
        }

        // After a break the output holds only the items that were started.
        return new ValueArray(_stopped ? _results[..Started] : _results);
    }
}
