using AgentFlow.Core.Persistence;
using AgentFlow.Stores.Sqlite;

namespace AgentFlow.Stores.Tests;

public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<IWorkflowStore> CreateStoreAsync(TimeProvider time) =>
        await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(_directory.File("store.db")) { TimeProvider = time }, CancellationToken.None);

    // xunit runs this after DisposeAsync has closed the store.
    public void Dispose() => _directory.Dispose();
}
