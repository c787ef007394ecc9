namespace AgentFlow.FlowGram.Execution;

/// <summary>FlowGram's status strings (§3.5), spelled as the reference spells them.</summary>
public static class FlowGramStatus
{
    /// <summary>Created, not started.</summary>
    public const string Pending = "pending";

    /// <summary>Running.</summary>
    public const string Processing = "processing";

    /// <summary>Finished without error.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Finished with an error.</summary>
    public const string Failed = "failed";

    /// <summary>Cancelled (one "l", as in the reference).</summary>
    public const string Canceled = "canceled";

    /// <summary>Whether the status is final.</summary>
    public static bool IsTerminal(string status) => status is Succeeded or Failed or Canceled;
}
