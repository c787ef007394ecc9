using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary><c>start</c>: the raw workflow inputs become the outputs (§2.1).</summary>
internal sealed class StartExecutor : IFlowNodeExecutor
{
    public ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken) => new(new NodeResult(run.Context.Task.Inputs));
}

/// <summary><c>end</c>: the resolved inputs become the outputs and the workflow result (§2.2).</summary>
internal sealed class EndExecutor : IFlowNodeExecutor
{
    public ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken)
    {
        run.Context.Task.SetOutputs(run.Inputs);
        return new(new NodeResult(run.Inputs));
    }
}

/// <summary><c>block-start</c>, <c>block-end</c>, <c>break</c>, <c>continue</c>: empty outputs, optionally setting an iteration flag (§2.3, §2.4).</summary>
internal sealed class EmptyExecutor(string? flag = null) : IFlowNodeExecutor
{
    public ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken)
    {
        if (flag is not null)
        {
            run.Context.SetFlag(flag);
        }

        return new(new NodeResult([]));
    }
}
