using AgentFlow.Core.Values;

namespace AgentFlow.Cli.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_RoutingSample_PrintsOutputsAndProgress()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("routing.yaml"), "--input", "amount=1500", "--input", "region=us");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Value.Object(("route", "manual"), ("desk", "New York")), Value.Parse(result.Output));
        Assert.Matches(@"check\s+succeeded\s+.*branch true", result.Error);
        Assert.Matches(@"auto_approve\s+skipped", result.Error);
        Assert.Matches(@"workflow\s+succeeded", result.Error);
    }

    [Fact]
    public async Task Run_RoutingSampleSmallAmount_TakesOtherBranches()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("routing.yaml"), "-i", "amount=10", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Value.Object(("route", "auto"), ("desk", "Paris")), Value.Parse(result.Output));
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Run_RetrySample_SucceedsOnThirdAttemptAfterBackoff()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("retry.yaml"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Value.Object(("answer", 42), ("attempts", 3)), Value.Parse(result.Output));
        Assert.Matches(@"flaky\s+retrying\s+attempt 2 in 100ms", result.Error);
        Assert.Matches(@"flaky\s+retrying\s+attempt 3 in 200ms", result.Error);
    }

    [Fact]
    public async Task Run_RetrySampleWithTooManyFailures_ExitsOneNamingTheNode()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("retry.yaml"), "--input", "failures=9", "-q");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Contains("error: workflow failed at node 'flaky': service.unavailable: injected failure 4 of 9", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PipelineSample_JoinsAllBranches()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("pipeline.yaml"), "-q");

        Assert.Equal(0, result.ExitCode);
        var summary = Value.Parse(result.Output)["summary"];
        Assert.Equal("3 orders from ada, bob, ada", summary["label"].AsString());
        Assert.Equal(250, summary["highestPrice"].AsNumber());
        Assert.Equal(348, summary["grossTotal"].AsNumber());
        Assert.Equal(Value.Array("A-1", "A-2", "A-3"), Value.Array(summary["lines"].AsArray().Select(l => l["id"])));
    }

    [Fact]
    public async Task Run_MapSample_AppliesBreakAndContinue()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("map.yaml"), "-q");

        Assert.Equal(0, result.ExitCode);
        var greetings = Value.Parse(result.Output)["greetings"].AsArray();
        Assert.Equal(5, greetings.Count);
        Assert.Equal("Hello, ADA (#1)", greetings[0]["message"].AsString());
        Assert.True(greetings[1].IsNull);
        Assert.Equal("Hello, LINUS (#4)", greetings[3]["message"].AsString());
    }

    [Fact]
    public async Task Run_InputFileAndOverride_TypesValuesByDeclaration()
    {
        var inputs = Path.GetTempFileName();
        await File.WriteAllTextAsync(inputs, """{ "amount": 5000, "region": "apac" }""");
        try
        {
            var result = await CliRunner.RunAsync("run", CliRunner.Sample("routing.yaml"), "--input-file", inputs, "--input", "amount=3", "-q");

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(Value.Object(("route", "auto"), ("desk", "Singapore")), Value.Parse(result.Output));
        }
        finally
        {
            File.Delete(inputs);
        }
    }

    [Fact]
    public async Task Run_Report_PrintsEveryNodeWithStatus()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("routing.yaml"), "-i", "amount=1500", "--report", "-q");

        Assert.Equal(0, result.ExitCode);
        var report = Value.Parse(result.Output);
        Assert.Equal("succeeded", report["status"].AsString());
        Assert.True(report["durationMs"].AsNumber() >= 0);
        var nodes = report["nodes"];
        Assert.Equal("succeeded", FindNode(nodes, "manual_review")["status"].AsString());
        Assert.Equal("skipped", FindNode(nodes, "auto_approve")["status"].AsString());
        Assert.Equal("true", FindNode(nodes, "check")["branch"].AsString());
    }

    [Theory]
    [InlineData("amount", "error AF0501")]
    [InlineData("amount=lots", "--input amount: 'lots' is not a number.")]
    public async Task Run_BadInput_ExitsTwoWithPreciseMessage(string input, string expected)
    {
        var args = input == "amount" ? new[] { "run", CliRunner.Sample("routing.yaml"), "-i", "region=eu" } : ["run", CliRunner.Sample("routing.yaml"), "-i", input];

        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(input == "amount" ? "amount" : expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InputWithoutEquals_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("routing.yaml"), "-i", "amount");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--input 'amount' is not key=value", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingFile_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("run", "no-such-file.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no-such-file.yaml: error: file not found.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Interrupted_CancelsRunningNodeAndExits130()
    {
        using var file = new TempWorkflow("""
            id: sleepy
            nodes:
              - id: nap
                kind: sleep
                with: { duration: 1h }
              - id: after
                kind: noop
                needs: nap
            """);
        using var cancellation = new CancellationTokenSource();
        var progress = new SignallingWriter("nap", cancellation);

        var result = await CliRunner.RunAsync(["run", file.Path], cancellation.Token, progress);

        Assert.Equal(130, result.ExitCode);
        Assert.Matches(@"nap\s+cancelled", progress.ToString());
        Assert.DoesNotMatch(@"after\s+started", progress.ToString());
        Assert.Matches(@"workflow\s+cancelled", progress.ToString());
    }

    private static Value FindNode(Value nodes, string id) =>
        nodes.Kind == ValueKind.Array ? nodes.AsArray().Single(n => n["nodeId"].AsString() == id) : nodes[id];
}
