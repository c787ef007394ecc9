using System.Collections.ObjectModel;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Postgres;

/// <summary>
/// Decides whether a batch changes nothing in an index row but its last sequence and update time, whatever the row,
/// by asking <see cref="ExecutionIndexProjection"/> itself (so the store never re-implements the projection): such a
/// batch (node events, the bulk of a log) can be appended without reading the row first.
/// </summary>
internal static class IndexNeutral
{
    private static readonly ExecutionRecord[] Probes =
    [
        .. Enum.GetValues<ExecutionStatus>().Select(status => new ExecutionRecord(
            "probe", "wf", 1, status, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            ExecutionStatusNames.IsTerminal(status) ? DateTimeOffset.UnixEpoch : null, "parent", ReadOnlyDictionary<string, string>.Empty, 0)),
    ];

    public static bool Is(IReadOnlyList<ExecutionEvent> events)
    {
        var last = events[^1];
        foreach (var probe in Probes)
        {
            if (ExecutionIndexProjection.Apply(probe, events) != probe with { UpdatedAt = last.Timestamp, LastSequence = last.Sequence })
            {
                return false;
            }
        }

        return true;
    }
}
