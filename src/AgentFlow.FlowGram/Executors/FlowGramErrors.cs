using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>The error codes FlowGram node executors record, which the report reader turns back into FlowGram's shapes.</summary>
internal static class FlowGramErrors
{
    /// <summary>The node failed; details hold the snapshot inputs when they were resolved.</summary>
    public const string NodeFailed = "flowgram.node";

    /// <summary>
    /// The node itself succeeded but the workflow must fail after it (no next node, chosen port without edges, §3.2);
    /// details hold the node's output and whether the message is reported.
    /// </summary>
    public const string AfterSuccess = "flowgram.after-success";

    /// <summary>The task failed validation before any node ran; details hold the messages.</summary>
    public const string Invalid = "flowgram.invalid";

    public static NodeExecutionException Failed(string message, Value inputs, Exception? inner = null) =>
        new(NodeFailed, message, retryable: false, inputs.IsNull ? Value.EmptyObject : Value.Object(("inputs", inputs)), inner);

    public static NodeExecutionException FailAfterSuccess(string message, Value output, bool reported) =>
        new(AfterSuccess, message, retryable: false, Value.Object(("output", output), ("reported", reported)));
}
