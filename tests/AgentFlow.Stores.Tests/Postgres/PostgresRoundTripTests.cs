using AgentFlow.Stores.Postgres;

namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>Text the store keeps as text, not jsonb, so it comes back byte for byte.</summary>
public sealed class PostgresRoundTripTests : IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.NewSchema();
    private PostgresWorkflowStore? _store;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.SkipReason is null)
        {
            _store = await PostgresTestServer.OpenAsync(_schema, TimeProvider.System);
        }
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await PostgresTestServer.DisposeAndDropAsync(_store, _schema);
        }
    }

    [PostgresTheory]
    [InlineData("{\"b\": 1,   \"a\": [2, 1]}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("\"caf\\u00e9 – ünïcode ✓\"")]
    [InlineData("1.50")]
    public async Task SendSignalAsync_AnyJsonPayload_ReadBackExactly(string payload)
    {
        await _store!.SendSignalAsync("e1", "s", payload, null, CancellationToken.None);

        Assert.Equal(payload, Assert.Single(await _store.ReadPendingSignalsAsync("e1", CancellationToken.None)).PayloadJson);
    }
}
