using AgentFlow.Core.Values;

namespace AgentFlow.Cli.Tests;

/// <summary>The built command as a separate process: exit codes, stdout/stderr split, redirected (plain-line) progress.</summary>
public sealed class ProcessEndToEndTests
{
    [Fact]
    public async Task Process_RunSample_PrintsJsonOnStdoutAndProgressOnStderr()
    {
        var result = await CliRunner.RunProcessAsync("run", "samples/routing.yaml", "--input", "amount=1500", "--input", "region=us");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("New York", Value.Parse(result.Output)["desk"].AsString());
        Assert.Matches(@"workflow\s+succeeded", result.Error);
    }

    [Fact]
    public async Task Process_InvalidFile_ExitsTwo()
    {
        using var file = new TempWorkflow("id: x\nnodes: [ { id: a, kind: nope } ]\n");

        var result = await CliRunner.RunProcessAsync("validate", file.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope", result.Error, StringComparison.Ordinal);
    }
}
