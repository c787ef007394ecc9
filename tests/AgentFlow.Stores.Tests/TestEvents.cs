using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Stores.Tests;

/// <summary>Builds events for store tests.</summary>
internal static class TestEvents
{
    public static ExecutionStarted Started(string executionId, DateTimeOffset at, string workflowId = "wf", int version = 1, string? parent = null) =>
        new(executionId, 1, at, workflowId, version, Value.Object(("topic", Value.From("stores")), ("n", Value.From(3L))), parent, parent is null ? null : "map");

    public static NodeStarted Node(string executionId, long sequence, DateTimeOffset at) =>
        new(executionId, sequence, at, "node-" + sequence, 1, Value.Object(("i", Value.From(sequence))));

    public static ExecutionEvent[] Nodes(string executionId, long fromSequence, int count, DateTimeOffset at) =>
        [.. Enumerable.Range(0, count).Select(i => Node(executionId, fromSequence + i, at))];
}
