namespace AgentFlow.Core.Persistence;

/// <summary>The scopes a key can carry.</summary>
public static class ApiKeyScopes
{
    /// <summary>Read workflows, executions, history, reports and streams.</summary>
    public const string Read = "read";

    /// <summary>Create workflows and start, cancel, pause, resume, retry and signal executions.</summary>
    public const string Run = "run";

    /// <summary>Everything, including tenant-wide administration; implies the other scopes.</summary>
    public const string Admin = "admin";

    /// <summary>Every scope, in the order keys list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Read, Run, Admin];
}
