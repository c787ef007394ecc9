namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>A theory that needs the PostgreSQL server: skipped without one, except under CI where it runs and fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = PostgresTestServer.SkipReason!;
}
