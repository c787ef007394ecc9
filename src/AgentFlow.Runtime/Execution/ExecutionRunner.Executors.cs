using AgentFlow.Core.Nodes;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.Runtime.Execution;

internal sealed partial class ExecutionRunner
{
    // Per node: the executor its current attempt began with, and that executor's role. Looked up in the registry once
    // per attempt (when it begins) and read again at its dispatch; the role is only worked out for an executor not met
    // before at that node (a map item's runner serves the next item with them).
    private (INodeExecutor? Executor, ExecutorRole Role)[]? _executors;

    /// <summary>Looks up the executor of the attempt a node begins; a null executor when its kind is not registered.</summary>
    private (INodeExecutor? Executor, ExecutorRole Role) BindExecutor(int index)
    {
        var executors = _executors ??= new (INodeExecutor?, ExecutorRole)[_graph.Count];
        if (!_runtime.Registry.TryGet(_graph.Nodes[index].Kind, out var executor))
        {
            executors[index] = default;
            return default;
        }

        if (!ReferenceEquals(executors[index].Executor, executor))
        {
            executors[index] = (executor, RoleOf(executor));
        }

        return executors[index];
    }

    /// <summary>The executor the attempt of a node began with (see <see cref="BindExecutor"/>).</summary>
    private (INodeExecutor? Executor, ExecutorRole Role) BoundExecutor(int index) => _executors is { } executors ? executors[index] : default;

    private static ExecutorRole RoleOf(INodeExecutor executor)
    {
        var role = ExecutorRole.None;
        role |= executor is ISignalWaitNode ? ExecutorRole.SignalWait : ExecutorRole.None;
        role |= executor is IDurableTimerNode ? ExecutorRole.DurableTimer : ExecutorRole.None;
        role |= executor is ILocalNode ? ExecutorRole.Local : ExecutorRole.None;
        role |= executor is IChildExecutionNode ? ExecutorRole.Child : ExecutorRole.None;
        role |= executor is IMapNodeExecutor ? ExecutorRole.MapNode : ExecutorRole.None;
        role |= executor is MapExecutor ? ExecutorRole.Map : ExecutorRole.None;
        return role;
    }
}
