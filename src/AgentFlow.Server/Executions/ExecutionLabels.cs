namespace AgentFlow.Server.Executions;

/// <summary>The labels the server keeps on executions; callers may not set keys with the <see cref="ReservedPrefix"/>.</summary>
public static class ExecutionLabels
{
    public const string ReservedPrefix = "agentflow.";

    /// <summary>The tenant an execution belongs to; every read and write is scoped by it.</summary>
    public const string Tenant = "agentflow.tenant";

    /// <summary>The idempotency key the execution was started with.</summary>
    public const string IdempotencyKey = "agentflow.idempotency-key";
}
