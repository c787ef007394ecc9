using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>What an <see cref="IMapNodeExecutor"/> starts its iteration with.</summary>
/// <param name="Items">The items; the body runs once per item, which it reads as <c>item</c> (and <c>index</c>).</param>
public sealed record MapStart(ValueArray Items)
{
    /// <summary>
    /// What the body reads as this node's output (<c>nodes.&lt;node&gt;.output</c>) while the items run; null for
    /// nothing. It is recorded with every item's scope, so keep it small.
    /// </summary>
    public Value BodyView { get; init; }

    /// <summary>Whatever the executor wants handed back to <see cref="IMapNodeExecutor.Complete"/> or <see cref="IMapNodeExecutor.ItemFailed"/>; never recorded.</summary>
    public Value State { get; init; }
}
