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

    [Fact]
    public async Task Run_FlowGramSchemaWithDb_PersistsExecutionForRunsListShowHistory()
    {
        using var file = new TempWorkflow(Flow, ".json");
        var directory = Directory.CreateTempSubdirectory("agentflow-fg-");
        try
        {
            var db = Path.Combine(directory.FullName, "runs.db");

            var run = await CliRunner.RunAsync("run", file.Path, "-i", "n=7", "-q", "--db", db);

            Assert.Equal(0, run.ExitCode);
            var id = System.Text.RegularExpressions.Regex.Match(run.Error, "execution ([0-9a-f-]{36})").Groups[1].Value;
            Assert.NotEmpty(id);
            var list = await CliRunner.RunAsync("runs", "list", "--db", db);
            Assert.Contains(id, list.Output, StringComparison.Ordinal);
            Assert.Contains("\"status\":\"succeeded\"", list.Output, StringComparison.Ordinal);
            var show = await CliRunner.RunAsync("runs", "show", id, "--db", db);
            Assert.Equal(0, show.ExitCode);
            Assert.Contains("\"t\": \"n=7 q=dflt\"", show.Output, StringComparison.Ordinal);
            var history = await CliRunner.RunAsync("runs", "history", id, "--db", db);
            Assert.Contains("\"nodeId\":\"end_0\"", history.Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
