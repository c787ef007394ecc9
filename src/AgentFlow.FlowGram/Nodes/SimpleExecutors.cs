using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary><c>start</c>: the raw workflow inputs become the outputs (§2.1).</summary>
/// <remarks>
/// <see cref="Executors.FlowGramNodeExecutor"/> gives start, end, block-start and block-end these outputs itself, in
/// their stored form, without calling the executor; the executors state the semantics on JS values.
/// </remarks>
internal sealed class StartExecutor : IFlowNodeExecutor
{
    public ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken) => new(new NodeResult(run.WorkflowInputs));
}

/// <summary><c>end</c>: the resolved inputs become the outputs and so the workflow result (§2.2).</summary>
internal sealed class EndExecutor : IFlowNodeExecutor
{
    public ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken) => new(new NodeResult(run.Inputs));
}

/// <summary><c>block-start</c>, <c>block-end</c>: empty outputs (§2.3).</summary>
internal sealed class EmptyExecutor : IFlowNodeExecutor
{
    /// <summary>The result of every run: nothing downstream changes a result's outputs (they are converted to a Value).</summary>
    public NodeResult Result { get; } = new([]);

    public ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken) => new(Result);
}

/// <summary>A node type without an executor in the reference (<c>comment</c>, <c>group</c>, ...): fails when reached (§3.2).</summary>
internal sealed class MissingExecutor : IFlowNodeExecutor
{
    public ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken) =>
        throw new FlowGramException($"No executor found for node type {run.Node.Type}");
}
