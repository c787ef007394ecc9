using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>What an <see cref="IMapNodeExecutor"/> starts its iteration with (a struct: one per node run, on the hot path).</summary>
/// <param name="Items">The items; the body runs once per item, which it reads as <c>item</c> (and <c>index</c>).</param>
public readonly record struct MapStart(ValueArray Items)
{
    /// <summary>
    /// What the body reads as this node's output (<c>nodes.&lt;node&gt;.output</c>) while the items run; null for
    /// nothing. Every item is handed it with the parent's scope (items do not record it: see
    /// <c>ExecutionStarted.InheritsParentContext</c>), and it is rebuilt by <see cref="IMapNodeExecutor.Start"/> when a
    /// resumed node runs again.
    /// </summary>
    public Value BodyView { get; init; }

    /// <summary>Whatever the executor wants handed back to <see cref="IMapNodeExecutor.Complete"/> or <see cref="IMapNodeExecutor.ItemFailed"/>; never recorded.</summary>
    public Value State { get; init; }
}
