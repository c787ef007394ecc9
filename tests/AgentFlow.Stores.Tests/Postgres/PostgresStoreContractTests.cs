using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>The shared store contract against PostgreSQL, each test in a fresh schema.</summary>
[RequiresPostgres]
public sealed class PostgresStoreContractTests : StoreContractTests
{
    private readonly string _schema = PostgresTestServer.NewSchema();

    protected override async Task<IWorkflowStore> CreateStoreAsync(TimeProvider time)
    {
        var store = await PostgresTestServer.OpenAsync(_schema, time);

        // A worker listens before its first claim; so does this store, so its own writes' NOTIFYs are heard.
        await store.StartListeningAsync(CancellationToken.None);
        return store;
    }

    public override async Task DisposeAsync() => await PostgresTestServer.DisposeAndDropAsync(Store, _schema);
}
