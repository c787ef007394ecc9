using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>The shared store contract against PostgreSQL, each test in a fresh schema.</summary>
[RequiresPostgres]
public sealed class PostgresStoreContractTests : StoreContractTests
{
    private readonly string _schema = PostgresTestServer.NewSchema();

    protected override async Task<IWorkflowStore> CreateStoreAsync(TimeProvider time) => await PostgresTestServer.OpenAsync(_schema, time);

    public override async Task DisposeAsync() => await PostgresTestServer.DisposeAndDropAsync(Store, _schema);
}
