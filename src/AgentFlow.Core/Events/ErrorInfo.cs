using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>A coded error as recorded in the log.</summary>
/// <param name="Code">A stable code such as <c>timeout</c>, <c>http.status</c> or <c>expression</c>.</param>
/// <param name="Message">A human readable sentence.</param>
/// <param name="Details">Structured details; null when none.</param>
/// <param name="Retryable">Whether a retry might succeed.</param>
public sealed record ErrorInfo(string Code, string Message, Value Details = default, bool Retryable = false)
{
    /// <summary>The error as a value (<c>{ code, message, details, retryable }</c>) for expressions and outputs.</summary>
    public Value ToValue() => Value.Object(("code", Code), ("message", Message), ("details", Details), ("retryable", Retryable));
}
