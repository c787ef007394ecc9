using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;
using BenchmarkDotNet.Attributes;

namespace AgentFlow.Benchmarks.FlowGram;

/// <summary>
/// Latency of a FlowGram code node through the public task API: a start → code → end workflow, TaskRun, wait,
/// TaskResult, one run at a time. <see cref="NoCode"/> (start → end) is the same path without the code node, so the
/// difference is what the code node costs (its Node.js round trip).
/// </summary>
/// <remarks>
/// One task API per benchmark, as a host keeps one; its code runner is created by the API with its defaults.
/// The script is the code-node fixture's shape: <c>async function main({params})</c> returning an object.
/// </remarks>
[MemoryDiagnoser]
public class CodeNodeBenchmarks : IDisposable
{
    private const string Script = "async function main({ params }) { return { greeting: 'hello ' + params.name, length: params.name.length } }";
    private readonly HttpClient _http = new();
    private readonly JsonObject _inputs = new() { ["name"] = "flowgram" };
    private FlowGramTaskApi _api = null!;
    private string _codeSchema = null!;
    private string _noCodeSchema = null!;

    [GlobalSetup]
    public void Setup()
    {
        _api = new FlowGramTaskApi(_http);
        _codeSchema = Schema(withCode: true);
        _noCodeSchema = Schema(withCode: false);
        var result = Run(_codeSchema).GetAwaiter().GetResult();
        if (result?["greeting"]?.GetValue<string>() != "hello flowgram")
        {
            throw new InvalidOperationException($"The code workflow answered {result?.ToJsonString() ?? "nothing"}.");
        }
    }

    [Benchmark(Baseline = true)]
    public Task<JsonObject?> NoCode() => Run(_noCodeSchema);

    [Benchmark]
    public Task<JsonObject?> CodeNode() => Run(_codeSchema);

    [GlobalCleanup]
    public void Dispose()
    {
        _api?.Dispose();
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<JsonObject?> Run(string schema)
    {
        var taskId = _api.TaskRun(schema, _inputs);
        await _api.WhenIdleAsync(taskId, CancellationToken.None);
        return _api.TaskResult(taskId);
    }

    private static string Schema(bool withCode)
    {
        static JsonObject Node(string id, string type, JsonObject data) =>
            new() { ["id"] = id, ["type"] = type, ["meta"] = new JsonObject { ["position"] = new JsonObject { ["x"] = 0, ["y"] = 0 } }, ["data"] = data };
        static JsonObject Properties(string name) =>
            new() { ["type"] = "object", ["properties"] = new JsonObject { [name] = new JsonObject { ["type"] = "string" } } };
        static JsonObject Ref(string node, string key) => new() { ["type"] = "ref", ["content"] = new JsonArray(node, key) };

        var source = withCode ? Ref("code_0", "greeting") : Ref("start_0", "name");
        var nodes = new JsonArray(
            Node("start_0", "start", new JsonObject { ["outputs"] = Properties("name") }),
            Node("end_0", "end", new JsonObject { ["inputsValues"] = new JsonObject { ["greeting"] = source }, ["inputs"] = Properties("greeting") }));
        var edges = new JsonArray(new JsonObject { ["sourceNodeID"] = "start_0", ["targetNodeID"] = "end_0" });
        if (withCode)
        {
            var code = Properties("greeting");
            code["properties"]!["length"] = new JsonObject { ["type"] = "integer" };
            nodes.Add(Node("code_0", "code", new JsonObject
            {
                ["inputsValues"] = new JsonObject { ["name"] = Ref("start_0", "name") },
                ["inputs"] = Properties("name"),
                ["outputs"] = code,
                ["script"] = new JsonObject { ["language"] = "javascript", ["content"] = Script },
            }));
            edges = new JsonArray(
                new JsonObject { ["sourceNodeID"] = "start_0", ["targetNodeID"] = "code_0" },
                new JsonObject { ["sourceNodeID"] = "code_0", ["targetNodeID"] = "end_0" });
        }

        return new JsonObject { ["nodes"] = nodes, ["edges"] = edges }.ToJsonString();
    }
}
