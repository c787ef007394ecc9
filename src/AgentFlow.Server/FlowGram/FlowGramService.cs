using AgentFlow.FlowGram.Api;

namespace AgentFlow.Server.FlowGram;

/// <summary>The server's one FlowGram task API (tasks live as long as the server, as in the reference).</summary>
internal sealed class FlowGramService : IDisposable
{
    private readonly HttpClient _http = new();

    public FlowGramService(ServerOptions options) => Api = new FlowGramTaskApi(_http, options.TimeProvider);

    public FlowGramTaskApi Api { get; }

    public void Dispose()
    {
        Api.Dispose();
        _http.Dispose();
    }
}
