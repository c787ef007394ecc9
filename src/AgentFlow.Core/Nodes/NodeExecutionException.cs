using AgentFlow.Core.Values;

namespace AgentFlow.Core.Nodes;

/// <summary>A node failed with a coded error that retry policies and error strategies can match.</summary>
public sealed class NodeExecutionException : Exception
{
    public NodeExecutionException(string code, string message, bool retryable = true, Value details = default, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Retryable = retryable;
        Details = details;
    }

    /// <summary>A stable error code, e.g. <c>http.status</c>, <c>timeout</c>, or a name raised by a fail node.</summary>
    public string Code { get; }

    /// <summary>Whether a retry might succeed.</summary>
    public bool Retryable { get; }

    /// <summary>Structured details (e.g. HTTP status and a body excerpt).</summary>
    public Value Details { get; }
}
