namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>
/// Skips every test of a class, including those it inherits with a plain <c>[Fact]</c>, when there is no PostgreSQL
/// server to run them against (see <see cref="PostgresTestServer.SkipReason"/>). Read by
/// <see cref="PostgresAwareTestFramework"/>: an inherited attribute cannot be changed per subclass otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;
