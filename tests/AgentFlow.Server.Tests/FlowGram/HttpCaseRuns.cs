using System.Text.Json.Nodes;
using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.Server.Tests.FlowGram;

/// <summary>
/// Every harness case run once over real HTTP on one server (<see cref="ServerHarness"/>: <c>AgentFlowServer.Build</c>
/// on Kestrel, as <c>serve</c> runs it) with the harness's mock servers, several at a time: the cases are independent
/// tasks, like the reference harness's. Each test awaits its own case. All 145 run, llm-unreachable-api-host too: it
/// fails in milliseconds here (the reference's ~11 s are LangChain's retries).
/// </summary>
public sealed class HttpCaseRuns : IAsyncLifetime
{
    private readonly Dictionary<string, TaskCompletionSource<JsonNode>> _runs = new(StringComparer.Ordinal);
    private Task _all = Task.CompletedTask;
    private MockServers? _mocks;
    private ServerHarness? _server;

    public async Task InitializeAsync()
    {
        _mocks = await MockServers.StartAsync(CancellationToken.None);
        _server = await ServerHarness.StartAsync();
        foreach (var name in HarnessCases.Names())
        {
            _runs[name] = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _all = RunAllAsync();
    }

    /// <summary>The case's normalised output over HTTP, placeholders mapped back.</summary>
    public Task<JsonNode> OutputAsync(string name) => _runs[name].Task;

    public async Task DisposeAsync()
    {
        await _all;
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_mocks is not null)
        {
            await _mocks.DisposeAsync();
        }
    }

    /// <summary>
    /// The cancel cases first, one at a time: they cancel while a 200–300 ms slow request runs, a margin that the
    /// other cases' load could eat on a shared 2-core machine. Then the rest, four at a time.
    /// </summary>
    private async Task RunAllAsync()
    {
        var cancels = HarnessCases.Names().Where(n => HarnessCases.Kind(n) == "cancel").ToList();
        foreach (var name in cancels)
        {
            await RunAsync(name, CancellationToken.None);
        }

        await Parallel.ForEachAsync(HarnessCases.Names().Except(cancels), new ParallelOptions { MaxDegreeOfParallelism = 4 }, RunAsync);
    }

    private async ValueTask RunAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(90));
            var output = await CaseRunner.RunAsync(new HttpTasks(_server!.Client), HarnessCases.Load(name, _mocks!.Substitutions), limit.Token);
            _runs[name].SetResult(HarnessCases.MapBack(output, _mocks.Substitutions));
        }
        catch (Exception ex)
        {
            // The case's own test reports it; the other cases go on.
            _runs[name].SetException(ex);
        }
    }
}
