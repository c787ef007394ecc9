namespace AgentFlow.Cli.Tests;

public sealed class FlowGramCommandTests
{
    private const string Flow = """
        {"nodes":[
          {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","properties":{"q":{"type":"string","default":"dflt"},"n":{"type":"integer"}}}}},
          {"id":"end_0","type":"end","meta":{"position":{"x":400,"y":0}},"data":{
            "inputs":{"type":"object","properties":{"t":{"type":"string"},"n":{"type":"integer"}}},
            "inputsValues":{"t":{"type":"template","content":"n={{start_0.n}} q={{start_0.q}}"},"n":{"type":"ref","content":["start_0","n"]}}}}],
         "edges":[{"sourceNodeID":"start_0","targetNodeID":"end_0"}]}
        """;

    [Fact]
    public async Task Run_FlowGramSchema_PrintsResultOfEndNode()
    {
        using var file = new TempWorkflow(Flow, ".json");

        var result = await CliRunner.RunAsync("run", file.Path, "-i", "n=42", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"t\": \"n=42 q=dflt\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"n\": 42", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FlowGramInputOfWrongType_FailsWithReferenceMessage()
    {
        using var file = new TempWorkflow(Flow, ".json");

        var result = await CliRunner.RunAsync("run", file.Path, "-i", "n=\"x\"", "-q");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("JSON Schema validation failed: Expected integer at n, but got: \"x\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FlowGramSchemaWithoutEnd_ReportsReferenceError()
    {
        using var file = new TempWorkflow(Flow.Replace("\"type\":\"end\"", "\"type\":\"code\"", StringComparison.Ordinal), ".json");

        var result = await CliRunner.RunAsync("validate", file.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Workflow schema must have an end node", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_FlowGramSchema_RendersFlowGramKinds()
    {
        using var file = new TempWorkflow(Flow, ".json");

        var result = await CliRunner.RunAsync("graph", file.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("start_0[\"start_0<br/>flowgram.start\"]", result.Output, StringComparison.Ordinal);
        Assert.Contains("start_0 --> end_0", result.Output, StringComparison.Ordinal);
    }
}
