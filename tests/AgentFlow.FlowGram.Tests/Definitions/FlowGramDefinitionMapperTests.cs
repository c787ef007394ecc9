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
              {"id":"c_0","type":"condition","meta":{"position":{"x":0,"y":0}},"data":{}},
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
        Assert.Equal("Start", definition.Nodes[0].Name);
        Assert.Equal([null, "if_0", "else", null], definition.Edges.Select(e => e.Branch));
        var body = definition.Nodes[2].Body!;
        Assert.Equal(["bs", "be"], body.Nodes.Select(n => n.Id));
        Assert.Single(body.Edges);
        Assert.Equal("$.nodes[2].blocks[1]", body.Nodes[1].Location.Path);
    }
}
