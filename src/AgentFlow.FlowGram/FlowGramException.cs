namespace AgentFlow.FlowGram;

/// <summary>An error whose message is the reference runtime's message, shown verbatim in reports.</summary>
public sealed class FlowGramException : Exception
{
    /// <summary>Creates the exception with the reference message.</summary>
    public FlowGramException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reference message and its cause.</summary>
    public FlowGramException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
