namespace AgentFlow.Cli.Tests;

public sealed class ValidateAndGraphCommandTests
{
    [Theory]
    [InlineData("pipeline.yaml")]
    [InlineData("retry.yaml")]
    [InlineData("routing.yaml")]
    [InlineData("map.yaml")]
    public async Task Validate_Sample_IsValid(string sample)
    {
        var result = await CliRunner.RunAsync("validate", CliRunner.Sample(sample));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("valid (", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FileWithSeveralProblems_ReportsAllWithPositions()
    {
        using var file = new TempWorkflow("""
            id: broken
            nodes:
              - id: a
                kind: transfrom
              - id: b
                kind: noop
                needs: [ghost]
              - id: c
                kind: transform
                with: ${{ inputs.x + }}
            """);

        var result = await CliRunner.RunAsync("validate", file.Path);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"{file.Path}:4:11: error", StringComparison.Ordinal) && l.Contains("transfrom", StringComparison.Ordinal) && l.Contains("transform", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{file.Path}:7:13: error", StringComparison.Ordinal) && l.Contains("ghost", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{file.Path}:10:", StringComparison.Ordinal) && l.Contains("error", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Cycle_NamesTheNodes()
    {
        using var file = new TempWorkflow("""
            id: loop
            nodes:
              - { id: a, kind: noop, needs: c }
              - { id: b, kind: noop, needs: a }
              - { id: c, kind: noop, needs: b }
            """);

        var result = await CliRunner.RunAsync("validate", file.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"[abc] -> [abc] -> [abc] -> [abc]", result.Error);
    }

    [Fact]
    public async Task Validate_MalformedYaml_GivesPositionNotStackTrace()
    {
        using var file = new TempWorkflow("id: x\nnodes:\n  - id: a\n    kind: 'noop\n");

        var result = await CliRunner.RunAsync("validate", file.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(file.Path)}:\d+:\d+: error", result.Error);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidDefinition_ExitsTwoWithoutRunning()
    {
        using var file = new TempWorkflow("""
            id: bad
            nodes:
              - { id: a, kind: http, with: { method: 5 } }
            """);

        var result = await CliRunner.RunAsync("run", file.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Contains("url", result.Error, StringComparison.Ordinal);
        Assert.Contains("method", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_RoutingSample_PrintsMermaidWithBranchLabels()
    {
        var result = await CliRunner.RunAsync("graph", CliRunner.Sample("routing.yaml"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("flowchart TD\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("    check{\"check<br/>condition\"}\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("    check -- \"true\" --> manual_review\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("    desk -- \"rest\" --> other_desk\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_MapSample_DrawsBodyAsSubgraph()
    {
        var result = await CliRunner.RunAsync("graph", CliRunner.Sample("map.yaml"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("subgraph greet [\"greet<br/>map\"]", result.Output, StringComparison.Ordinal);
        Assert.Contains("greet__check -- \"stop\" --> greet__halt", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwoWithUsageHint()
    {
        var result = await CliRunner.RunAsync("launch");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("agentflow --help", result.Error, StringComparison.Ordinal);
    }
}
