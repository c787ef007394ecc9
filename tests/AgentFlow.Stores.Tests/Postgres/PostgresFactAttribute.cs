namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>A fact that needs the PostgreSQL server: skipped without one, except under CI where it runs and fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    // xunit 2 reads Skip when it discovers the test, so setting it here is how it skips at run time.
    public PostgresFactAttribute() => Skip = PostgresTestServer.SkipReason!;
}
