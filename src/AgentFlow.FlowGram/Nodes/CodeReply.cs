namespace AgentFlow.FlowGram.Nodes;

/// <summary>A code-node process's answer to one run.</summary>
/// <param name="Ok">main returned (or its promise resolved).</param>
/// <param name="Value">main's result; <see cref="Values.Js.Undefined"/> when it returned nothing.</param>
/// <param name="Error">Why the run failed, without the "Code execution failed: " prefix.</param>
/// <param name="Reusable">The process may serve another run (not crashed, not timed out, heap not filling up).</param>
internal sealed record CodeReply(bool Ok, object? Value, string? Error, bool Reusable);
