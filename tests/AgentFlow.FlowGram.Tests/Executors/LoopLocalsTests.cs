using System.Text.Json.Nodes;
using AgentFlow.Core.Events;
using AgentFlow.FlowGram.Api;
using AgentFlow.FlowGram.Tests.Api;

namespace AgentFlow.FlowGram.Tests.Executors;

/// <summary>
/// <c>&lt;loopID&gt;_locals</c> comes from two places: a body without a nested loop builds it from the iteration's
/// item scope (block-start records nothing of it), a body with a nested loop reads what block-start records (the
/// nested iterations' item scope is their own item). Both must show the same item and index.
/// </summary>
public sealed class LoopLocalsTests : IDisposable
{
    // "be" reads the item and index by ref and by template; "X" is replaced by the body's extra nodes and edges.
    private const string Schema = """
        {"nodes":[
         {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","properties":{"xs":{"type":"array","items":{"type":"string"}}}}}},
         {"id":"loop_0","type":"loop","meta":{"position":{"x":1,"y":0}},"data":{"loopFor":{"type":"ref","content":["start_0","xs"]},
           "loopOutputs":{"a":{"type":"ref","content":["loop_0_locals","item"]},"b":{"type":"ref","content":["loop_0_locals","index"]}}},
          "blocks":[{"id":"bs","type":"block-start","meta":{"position":{"x":0,"y":0}},"data":{}},
           {"id":"be","type":"block-end","meta":{"position":{"x":0,"y":0}},"data":{"inputs":{"type":"object","properties":{"i":{"type":"string"},"n":{"type":"number"},"t":{"type":"string"}}},
             "inputsValues":{"i":{"type":"ref","content":["loop_0_locals","item"]},"n":{"type":"ref","content":["loop_0_locals","index"]},"t":{"type":"template","content":"{{loop_0_locals.item}}#{{loop_0_locals.index}}"}}}}NODES],
          "edges":EDGES},
         {"id":"end_0","type":"end","meta":{"position":{"x":2,"y":0}},"data":{"inputs":{"type":"object","properties":{"a":{"type":"array"},"b":{"type":"array"}}},
           "inputsValues":{"a":{"type":"ref","content":["loop_0","a"]},"b":{"type":"ref","content":["loop_0","b"]}}}}],
         "edges":[{"sourceNodeID":"start_0","targetNodeID":"loop_0"},{"sourceNodeID":"loop_0","targetNodeID":"end_0"}]}
        """;

    // A nested loop between block-start and block-end whose block-end reads both loops' item and index.
    private const string Nested = """
        ,{"id":"loop_1","type":"loop","meta":{"position":{"x":0,"y":0}},"data":{"loopFor":{"type":"ref","content":["start_0","xs"]}},
          "blocks":[{"id":"bs1","type":"block-start","meta":{"position":{"x":0,"y":0}},"data":{}},
           {"id":"be1","type":"block-end","meta":{"position":{"x":0,"y":0}},"data":{"inputs":{"type":"object","properties":{"t":{"type":"string"}}},
             "inputsValues":{"t":{"type":"template","content":"{{loop_0_locals.item}}{{loop_0_locals.index}}/{{loop_1_locals.item}}{{loop_1_locals.index}}"}}}}],
          "edges":[{"sourceNodeID":"bs1","targetNodeID":"be1"}]}
        """;

    private const string NestedEdges = """[{"sourceNodeID":"bs","targetNodeID":"loop_1"},{"sourceNodeID":"loop_1","targetNodeID":"be"}]""";

    private readonly HttpClient _http = new();
    private readonly FlowGramTaskApi _api;

    public LoopLocalsTests() => _api = new FlowGramTaskApi(_http);

    [Fact]
    public async Task TaskRun_BodyReadingLocals_ShowsTheSameWhetherBlockStartRecordsThemOrNot()
    {
        var (fromScope, fromScopeId) = await RunAsync(Schema.Replace("NODES", string.Empty, StringComparison.Ordinal).Replace("EDGES", """[{"sourceNodeID":"bs","targetNodeID":"be"}]""", StringComparison.Ordinal));
        var (recorded, recordedId) = await RunAsync(Schema.Replace("NODES", Nested, StringComparison.Ordinal).Replace("EDGES", NestedEdges, StringComparison.Ordinal));

        Assert.Null(await OutputAsync($"{fromScopeId}/loop_0/1/1", "bs"));
        Assert.Equal(
            """{"inputs":{},"outputs":{},"vars":{},"locals":{"item":{"type":"string","items":null,"value":"q"},"index":{"type":"number","items":null,"value":1}}}""",
            await OutputAsync($"{recordedId}/loop_0/1/1", "bs"));
        foreach (var report in (JsonNode[])[fromScope, recorded])
        {
            Assert.Equal("succeeded", report["workflowStatus"]!["status"]!.GetValue<string>());
            Assert.Equal("""{"snapshots":[{"data":{},"inputs":{},"nodeID":"bs","outputs":{}},{"data":{},"inputs":{},"nodeID":"bs","outputs":{}}],"status":"succeeded","terminated":true}""", ReportJson.Normalise(report["reports"]!["bs"]!).ToJsonString());
            Assert.Equal("""{"i":"p","n":0,"t":"p#0"}""", report["reports"]!["be"]!["snapshots"]![0]!["inputs"]!.ToJsonString());
            Assert.Equal("""{"i":"q","n":1,"t":"q#1"}""", report["reports"]!["be"]!["snapshots"]![1]!["inputs"]!.ToJsonString());
            Assert.Equal("""{"a":["p","q"],"b":[0,1]}""", report["outputs"]!.ToJsonString());
        }

        // The nested body reads the outer locals block-start recorded and its own from its item scope.
        Assert.Equal(
            ["p0/p0", "p0/q1", "q1/p0", "q1/q1"],
            recorded["reports"]!["be1"]!["snapshots"]!.AsArray().Select(s => s!["inputs"]!["t"]!.GetValue<string>()));
    }

    public void Dispose()
    {
        _api.Dispose();
        _http.Dispose();
    }

    private async Task<(JsonNode Report, string TaskId)> RunAsync(string schema)
    {
        var taskId = await _api.TaskRunAsync(schema, new JsonObject { ["xs"] = new JsonArray("p", "q") }, CancellationToken.None);
        await _api.WhenIdleAsync(taskId, CancellationToken.None);
        return ((await _api.TaskReportAsync(taskId, CancellationToken.None))!, taskId);
    }

    /// <summary>What the node recorded as its output; null when it did not run.</summary>
    private async Task<string?> OutputAsync(string executionId, string nodeId)
    {
        var events = await _api.Runtime.Store.ReadAsync(executionId, 1, CancellationToken.None);
        return events.OfType<NodeSucceeded>().SingleOrDefault(e => e.NodeId == nodeId)?.Output.ToJson();
    }
}
