using AgentFlow.FlowGram.Definitions;

namespace AgentFlow.FlowGram.Tests.Definitions;

public sealed class FlowGramDefinitionMapperTests
{
    [Fact]
    public void Map_ConditionAndLoop_MapsPortsToBranchesAndBlocksToBody()
    {
        const string schema = """
            {"nodes":[
              {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"title":"Start"}},
              {"id":"c_0","type":"condition","meta":{"position":{"x":0,"y":0}},"data":{"conditions":[]}},
              {"id":"loop_0","type":"loop","meta":{"position":{"x":0,"y":0}},"data":{},
               "blocks":[{"id":"bs","type":"block-start","meta":{"position":{"x":0,"y":0}},"data":{}},
                         {"id":"be","type":"block-end","meta":{"position":{"x":0,"y":0}},"data":{}}],
               "edges":[{"sourceNodeID":"bs","targetNodeID":"be"}]},
              {"id":"end_0","type":"end","meta":{"position":{"x":0,"y":0}},"data":{}}],
             "edges":[{"sourceNodeID":"start_0","targetNodeID":"c_0","sourcePortID":"ignored"},
                      {"sourceNodeID":"c_0","targetNodeID":"loop_0","sourcePortID":"if_0"},
                      {"sourceNodeID":"c_0","targetNodeID":"end_0","sourcePortID":"else"},
                      {"sourceNodeID":"loop_0","targetNodeID":"end_0"}]}
            """;

        var definition = FlowGramDefinitionMapper.Map(schema, "flow");

        Assert.Equal(["flowgram.start", "flowgram.condition", "flowgram.loop", "flowgram.end"], definition.Nodes.Select(n => n.Kind));
        Assert.Equal(["start_0", "c_0", "loop_0", "end_0"], definition.Nodes.Select(n => n.Id));
        Assert.Equal("Start", definition.Nodes[0].Name);
        Assert.True(definition.Nodes[1].BranchFromOutput);
        Assert.Equal(
            ["c_0>end_0:else", "c_0>loop_0:if_0", "loop_0>end_0:", "start_0>c_0:"],
            definition.Edges.Select(e => $"{e.From}>{e.To}:{e.Branch}").Order(StringComparer.Ordinal));
        var loop = definition.Nodes[2];
        Assert.Equal(1, loop.Concurrency);
        var body = loop.Body!;
        // Block nodes that record nothing anyone reads are not run (the report shows them per iteration).
        Assert.Empty(body.Nodes);
        Assert.Empty(body.Edges);
        var parameters = loop.Parameters.Evaluate(null!);
        Assert.Equal(["bs", "be"], [parameters["unrecordedBlockStart"]["id"].AsString(), parameters["unrecordedBlockEnd"]["id"].AsString()]);
    }

    [Theory]
    [InlineData("""{}""", """[{"sourceNodeID":"bs","targetNodeID":"be"}]""", "be", "be")]
    [InlineData("""{"outputs":{"type":"object","properties":{"z":{"type":"string"}}}}""", """[{"sourceNodeID":"bs","targetNodeID":"be"}]""", "be", "bs,be")]
    [InlineData("""{}""", """[{"sourceNodeID":"bs","targetNodeID":"be"}]""", "bs", "bs,be")]
    [InlineData("""{}""", "[]", "be", "bs")]
    public void Map_LoopBody_RunsBlockStartOnlyWhenItRecordsWhatIsRead(string blockStartData, string edges, string readFromEnd, string bodyNodes)
    {
        // block-end declares an input reading node readFromEnd; "bs" declares blockStartData; the body has edges.
        var schema = """
            {"nodes":[
              {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{}},
              {"id":"loop_0","type":"loop","meta":{"position":{"x":0,"y":0}},"data":{},
               "blocks":[{"id":"bs","type":"block-start","meta":{"position":{"x":0,"y":0}},"data":BS},
                         {"id":"be","type":"block-end","meta":{"position":{"x":0,"y":0}},"data":{"inputs":{"type":"object","properties":{"z":{"type":"string"}}},
                           "inputsValues":{"z":{"type":"ref","content":["READ","z"]}}}}],
               "edges":EDGES}],
             "edges":[{"sourceNodeID":"start_0","targetNodeID":"loop_0"}]}
            """.Replace("BS", blockStartData, StringComparison.Ordinal).Replace("EDGES", edges, StringComparison.Ordinal).Replace("READ", readFromEnd, StringComparison.Ordinal);

        var loop = FlowGramDefinitionMapper.Map(schema, "flow").Nodes.Single(n => n.Id == "loop_0");

        Assert.Equal(bodyNodes, string.Join(',', loop.Body!.Nodes.Select(n => n.Id)));
        // The loop reads nothing here, so its parameters are one constant, which evaluates without a scope.
        Assert.True(loop.Parameters.IsConstant);
        var unrecorded = loop.Parameters.Evaluate(null!)["unrecordedBlockStart"];
        Assert.Equal(bodyNodes.Contains("bs", StringComparison.Ordinal) ? "null" : "\"bs\"", unrecorded["id"].ToJson());
        Assert.True(loop.Parameters.Evaluate(null!)["unrecordedBlockEnd"].IsNull);
    }

    [Fact]
    public void Map_UnreachableAndTerminatedPaths_AreNotMapped()
    {
        const string schema = """
            {"nodes":[
              {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{}},
              {"id":"note","type":"comment","meta":{"position":{"x":0,"y":0}},"data":{}},
              {"id":"end_0","type":"end","meta":{"position":{"x":0,"y":0}},"data":{}},
              {"id":"after","type":"code","meta":{"position":{"x":0,"y":0}},"data":{}}],
             "edges":[{"sourceNodeID":"start_0","targetNodeID":"end_0"},{"sourceNodeID":"end_0","targetNodeID":"after"}]}
            """;

        var definition = FlowGramDefinitionMapper.Map(schema, "flow");

        Assert.Equal(["start_0", "end_0"], definition.Nodes.Select(n => n.Id));
        Assert.Equal("start_0>end_0", Assert.Single(definition.Edges) is var e ? $"{e.From}>{e.To}" : null);
    }
}
