namespace AgentFlow.Cli;

/// <summary>The process exit codes, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int WorkflowFailed = 1;
    public const int InvalidInput = 2;

    /// <summary>Another process took the execution over (this one lost its lease); it continues there.</summary>
    public const int OwnershipLost = 3;
    public const int Interrupted = 130;
}
