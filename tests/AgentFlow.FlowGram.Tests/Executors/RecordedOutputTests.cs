using System.Text.Json.Nodes;
using AgentFlow.Core.Events;
using AgentFlow.FlowGram.Api;

namespace AgentFlow.FlowGram.Tests.Executors;

/// <summary>
/// The outputs FlowGram nodes record are what reports and resumed tasks read back: their exact JSON, written down from
/// the implementation before the node executors were made cheaper, must not move.
/// </summary>
public sealed class RecordedOutputTests : IDisposable
{
    // A loop whose declared outputs replace one collected output ("b", its items type) and add one ("c", a default).
    private const string Schema = """
        {"nodes":[
         {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","properties":{"xs":{"type":"array","items":{"type":"integer"}}}}}},
         {"id":"loop_0","type":"loop","meta":{"position":{"x":1,"y":0}},"data":{"title":"L","loopFor":{"type":"ref","content":["start_0","xs"]},
           "loopOutputs":{"a":{"type":"ref","content":["loop_0_locals","item"]},"b":{"type":"ref","content":["loop_0_locals","index"]}},
           "outputs":{"type":"object","properties":{"c":{"type":"string","default":"x"},"b":{"type":"array","items":{"type":"integer"}}}}},
          "blocks":[{"id":"bs","type":"block-start","meta":{"position":{"x":0,"y":0}},"data":{}},{"id":"be","type":"block-end","meta":{"position":{"x":0,"y":0}},"data":{}}],
          "edges":[{"sourceNodeID":"bs","targetNodeID":"be"}]},
         {"id":"end_0","type":"end","meta":{"position":{"x":2,"y":0}},"data":{"inputs":{"type":"object","properties":{"c":{"type":"string"},"b":{"type":"array"}}},
           "inputsValues":{"c":{"type":"ref","content":["loop_0","c"]},"b":{"type":"ref","content":["loop_0","b"]}}}}],
         "edges":[{"sourceNodeID":"start_0","targetNodeID":"loop_0"},{"sourceNodeID":"loop_0","targetNodeID":"end_0"}]}
        """;

    private readonly HttpClient _http = new();
    private readonly FlowGramTaskApi _api;

    public RecordedOutputTests() => _api = new FlowGramTaskApi(_http);

    [Fact]
    public async Task TaskRun_LoopWithDeclaredOutputs_RecordsTheSameNodeOutputs()
    {
        var taskId = _api.TaskRun(Schema, new JsonObject { ["xs"] = new JsonArray(3, 4) });
        await _api.WhenIdleAsync(taskId, CancellationToken.None);

        var outputs = await OutputsAsync(taskId);
        var iteration = await OutputsAsync($"{taskId}/loop_0/1/1");

        Assert.Equal("""{"inputs":{},"outputs":{"xs":[3,4]},"vars":{"xs":{"type":"array","items":"integer","value":[3,4]}}}""", outputs["start_0"]);

        // One engine node per loop: the inputs its loopFor check resolved, then the aggregated outputs and variables.
        Assert.Equal(
            """{"inputs":{},"outputs":{"a":[3,4],"b":[0,1]},"vars":{"a":{"type":"array","items":"integer","value":[3,4]},"b":{"type":"array","items":"integer","value":[0,1]},"c":{"type":"string","items":null,"value":"x"}}}""",
            outputs["loop_0"]);
        Assert.Equal(["start_0", "loop_0", "end_0"], outputs.Keys);
        Assert.Equal("""{"inputs":{"c":"x","b":[0,1]},"outputs":{"c":"x","b":[0,1]},"vars":{}}""", outputs["end_0"]);
        // The body's block-start and block-end record nothing anyone reads: they do not run, the report shows them.
        Assert.Empty(iteration);
        var reports = (await _api.TaskReportAsync(taskId, CancellationToken.None))!["reports"]!;
        foreach (var block in (string[])["bs", "be"])
        {
            Assert.Equal(
                """[{"data":{},"inputs":{},"nodeID":"BLOCK","outputs":{}},{"data":{},"inputs":{},"nodeID":"BLOCK","outputs":{}}]""".Replace("BLOCK", block, StringComparison.Ordinal),
                Api.ReportJson.Normalise(reports[block]!["snapshots"]!).ToJsonString());
            Assert.Equal("succeeded", reports[block]!["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task TaskRun_BlockNodesDeclaringOutputs_RecordTheirVariables()
    {
        // Block nodes with declared outputs take the general path (the plain ones above skip it, and block-start does not
        // run): same shape, plus vars.
        var schema = Schema
            .Replace("""{"id":"bs","type":"block-start","meta":{"position":{"x":0,"y":0}},"data":{}}""", """{"id":"bs","type":"block-start","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","properties":{"z":{"type":"string","default":"d"}}}}}""", StringComparison.Ordinal)
            .Replace("""{"id":"be","type":"block-end","meta":{"position":{"x":0,"y":0}},"data":{}}""", """{"id":"be","type":"block-end","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","properties":{"y":{"type":"number"}}}}}""", StringComparison.Ordinal);
        Assert.NotEqual(Schema, schema);
        var taskId = _api.TaskRun(schema, new JsonObject { ["xs"] = new JsonArray(3, 4) });
        await _api.WhenIdleAsync(taskId, CancellationToken.None);

        var iteration = await OutputsAsync($"{taskId}/loop_0/1/0");

        Assert.Equal(
            """{"inputs":{},"outputs":{},"vars":{"z":{"type":"string","items":null,"value":"d"}}}""",
            iteration["bs"]);
        Assert.Equal("""{"inputs":{},"outputs":{},"vars":{"y":{"type":"number","items":null}}}""", iteration["be"]);
    }

    [Fact]
    public async Task TaskRun_TasksOnManyThreads_EachRecordsItsOwnValues()
    {
        // The executors are shared by every task of the API and keep a scratch buffer between runs.
        var tasks = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            var taskId = _api.TaskRun(Schema, new JsonObject { ["xs"] = new JsonArray(i, i + 1, i + 2) });
            await _api.WhenIdleAsync(taskId, CancellationToken.None);
            return (i, Result: _api.TaskResult(taskId)!.ToJsonString(), Loop: (await OutputsAsync(taskId))["loop_0"]);
        }));

        foreach (var (i, result, loop) in await Task.WhenAll(tasks))
        {
            Assert.Equal("""{"c":"x","b":[0,1,2]}""", result);
            Assert.StartsWith("""{"inputs":{},"outputs":{"a":[""" + i + "," + (i + 1) + "," + (i + 2) + """],"b":[0,1,2]}""", loop, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        _api.Dispose();
        _http.Dispose();
    }

    private async Task<Dictionary<string, string>> OutputsAsync(string executionId)
    {
        var events = await _api.Runtime.Store.ReadAsync(executionId, 1, CancellationToken.None);
        return events.OfType<NodeSucceeded>().ToDictionary(e => e.NodeId, e => e.Output.ToJson());
    }
}
