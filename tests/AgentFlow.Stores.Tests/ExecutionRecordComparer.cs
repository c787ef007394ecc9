using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Tests;

/// <summary>Compares index rows by value, labels included (records compare dictionaries by reference).</summary>
internal sealed class ExecutionRecordComparer : IEqualityComparer<ExecutionRecord?>
{
    public static ExecutionRecordComparer Instance { get; } = new();

    public bool Equals(ExecutionRecord? x, ExecutionRecord? y) =>
        x is null || y is null
            ? x is null && y is null
            : x with { Labels = y.Labels } == y && x.Labels.Count == y.Labels.Count && x.Labels.All(l => y.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

    public int GetHashCode(ExecutionRecord? obj) => obj?.ExecutionId.GetHashCode(StringComparison.Ordinal) ?? 0;
}
