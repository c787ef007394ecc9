using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Execution;

/// <summary>One node execution as recorded in reports (§3.7).</summary>
internal sealed class Snapshot
{
    public required string Id { get; init; }

    public required string NodeId { get; init; }

    public required JsObject Data { get; init; }

    public JsObject? Inputs { get; set; }

    public JsObject? Outputs { get; set; }

    public string? Branch { get; set; }

    public string? Error { get; set; }
}
