using System.Collections;

namespace AgentFlow.Server.Observability;

/// <summary>The structured scope of an execution's log lines: <c>ExecutionId</c> and, for a node, <c>NodeId</c>.</summary>
internal sealed class LogScope(string executionId, string? nodeId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => nodeId is null ? 1 : 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("ExecutionId", executionId),
        1 when nodeId is not null => new("NodeId", nodeId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => nodeId is null ? $"ExecutionId:{executionId}" : $"ExecutionId:{executionId} NodeId:{nodeId}";
}
