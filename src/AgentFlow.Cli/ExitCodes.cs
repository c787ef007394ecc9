namespace AgentFlow.Cli;

/// <summary>The process exit codes, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int WorkflowFailed = 1;
    public const int InvalidInput = 2;
    public const int Interrupted = 130;
}
