using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;
using BenchmarkDotNet.Attributes;

namespace AgentFlow.Benchmarks.FlowGram;

/// <summary>
/// The FlowGram harness's workflows (bench/FlowGram/schemas) in process: TaskRun, wait, TaskResult, one run at a time,
/// through the public task API. Mean and Allocated are per run; the harness compares the same runs with runtime-js.
/// </summary>
/// <remarks>A fresh task API per iteration, so the in-memory store holds at most one iteration's tasks.</remarks>
[MemoryDiagnoser]
[InvocationCount(256)]
public class FlowGramRunBenchmarks : IDisposable
{
    private readonly HttpClient _http = new();
    private FlowGramTaskApi? _api;
    private string _schema = null!;
    private JsonObject _inputs = null!;

    [Params("chain-20", "fanout-50", "loop-100")]
    public string Workflow { get; set; } = "chain-20";

    [GlobalSetup]
    public void Setup()
    {
        var root = JsonNode.Parse(File.ReadAllText(BenchSchemas.PathOf(Workflow)))!.AsObject();
        _schema = root["schema"]!.ToJsonString();
        _inputs = root["inputs"]?.AsObject() ?? [];
    }

    [IterationSetup]
    public void NewApi()
    {
        _api?.Dispose();
        _api = new FlowGramTaskApi(_http);
        if (Run().GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException($"{Workflow} returned no result.");
        }
    }

    [Benchmark]
    public Task<JsonObject?> Run() => RunAsync(_api!);

    [GlobalCleanup]
    public void Dispose()
    {
        _api?.Dispose();
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<JsonObject?> RunAsync(FlowGramTaskApi api)
    {
        var taskId = await api.TaskRunAsync(_schema, _inputs, CancellationToken.None);
        await api.WhenIdleAsync(taskId, CancellationToken.None);
        return await api.TaskResultAsync(taskId, CancellationToken.None);
    }
}
