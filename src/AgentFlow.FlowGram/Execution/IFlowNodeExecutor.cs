namespace AgentFlow.FlowGram.Execution;

/// <summary>Runs one FlowGram node type (§2).</summary>
internal interface IFlowNodeExecutor
{
    ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken);
}
