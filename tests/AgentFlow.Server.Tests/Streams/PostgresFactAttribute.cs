namespace AgentFlow.Server.Tests.Streams;

/// <summary>A fact that needs the PostgreSQL server of <c>AGENTFLOW_TEST_POSTGRES</c>: skipped without one, except under CI (<c>CI=true</c>), where it runs and fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES"))
            && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "AGENTFLOW_TEST_POSTGRES is not set; eval \"$(.ci/postgres.sh)\" starts a local server.";
        }
    }
}
