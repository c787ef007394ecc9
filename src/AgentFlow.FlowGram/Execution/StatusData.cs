namespace AgentFlow.FlowGram.Execution;

/// <summary>The mutable status of the workflow or one node (§3.5); guarded by the owning task's lock.</summary>
internal sealed class StatusData
{
    public string Status { get; set; } = FlowGramStatus.Pending;

    public long? StartTime { get; set; }

    public long? EndTime { get; set; }

    public bool Terminated => FlowGramStatus.IsTerminal(Status);

    public long TimeCost(long now) => StartTime is null ? 0 : (EndTime ?? now) - StartTime.Value;
}
