using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.FlowGram.Tests.Differential;

/// <summary>The harness's mock servers, started once for the test class.</summary>
public sealed class HarnessServers : IAsyncLifetime
{
    private MockServers? _servers;

    public IReadOnlyList<(string Placeholder, string Value)> Substitutions => _servers?.Substitutions ?? [];

    public async Task InitializeAsync() => _servers = await MockServers.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }
}
