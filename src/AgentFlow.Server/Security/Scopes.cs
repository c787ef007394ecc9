namespace AgentFlow.Server.Security;

/// <summary>The permission scopes routes require: reads, running (start, cancel, signal) and administration (workflows).</summary>
public static class Scopes
{
    public const string Read = "read", Run = "run", Admin = "admin";
}
