using AgentFlow.Core.Persistence;
using AgentFlow.Stores.InMemory;

namespace AgentFlow.Stores.Tests;

public sealed class InMemoryStoreContractTests : StoreContractTests
{
    protected override Task<IWorkflowStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<IWorkflowStore>(new InMemoryWorkflowStore(time));
}
