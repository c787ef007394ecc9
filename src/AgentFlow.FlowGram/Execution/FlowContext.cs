using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Execution;

/// <summary>
/// The per-scope part of a run: the workflow itself, or one loop iteration with its own variables, executed set and
/// cache (§2.7). Everything else is shared through <see cref="Task"/>.
/// </summary>
internal sealed class FlowContext(FlowTask task, VariableStore store)
{
    public FlowTask Task { get; } = task;

    public VariableStore Store { get; } = store;

    /// <summary>Nodes executed or marked skipped in this scope; guarded by <see cref="Gate"/>.</summary>
    public HashSet<string> Executed { get; } = new(StringComparer.Ordinal);

    /// <summary>Iteration flags such as <c>loop-break</c>; guarded by <see cref="Gate"/>.</summary>
    public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

    public Lock Gate { get; } = new();

    public FlowContext CreateIteration() => new(Task, new VariableStore(Store));

    public void SetFlag(string flag)
    {
        lock (Gate)
        {
            Flags.Add(flag);
        }
    }

    public bool HasFlag(string flag)
    {
        lock (Gate)
        {
            return Flags.Contains(flag);
        }
    }
}
