using System.Collections.Concurrent;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.Runtime;

/// <summary>Maps a node kind to its executor. Built-in kinds are registered by default; register more (e.g. <c>http</c>) with <see cref="Register"/>.</summary>
public sealed class NodeExecutorRegistry
{
    private readonly ConcurrentDictionary<string, INodeExecutor> _executors = new(StringComparer.Ordinal);

    /// <summary>A registry holding the built-ins: noop, transform, assign, sleep, wait, fail, map, subworkflow, break, continue.</summary>
    public NodeExecutorRegistry()
    {
        Register("noop", new NoopExecutor());
        Register("transform", new TransformExecutor());
        Register(NodeKinds.Assign, new AssignExecutor());
        Register(NodeKinds.Sleep, new SleepExecutor());
        Register(NodeKinds.Wait, new WaitExecutor());
        Register("fail", new FailExecutor());
        Register(NodeKinds.Map, new MapExecutor());
        Register(NodeKinds.Subworkflow, new SubworkflowExecutor());
        var control = new ControlExecutor();
        Register(NodeKinds.Break, control);
        Register(NodeKinds.Continue, control);
    }

    /// <summary>Registers (or replaces) the executor of a kind.</summary>
    public NodeExecutorRegistry Register(string kind, INodeExecutor executor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(executor);
        _executors[kind] = executor;
        return this;
    }

    /// <summary>Finds the executor of a kind.</summary>
    public bool TryGet(string kind, out INodeExecutor executor) => _executors.TryGetValue(kind, out executor!);

    /// <summary>The registered kinds.</summary>
    public IReadOnlyCollection<string> Kinds => [.. _executors.Keys];
}
