using AgentFlow.FlowGram.Nodes;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Nodes;

public sealed class CodeRunnerTests
{
    [Fact]
    public async Task RunAsync_NodeMissing_FailsWithClearMessage()
    {
        await using var runner = new CodeRunner(nodePath: "/nonexistent/node-binary");

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync("async function main() { return 1 }", [], CancellationToken.None));

        Assert.Contains("was not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ScriptReadsFileSystem_HasNoRequire()
    {
        await using var runner = new CodeRunner();

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync("async function main() { return require('fs').readFileSync('/etc/hostname', 'utf8') }", [], CancellationToken.None));

        Assert.Equal("Code execution failed: require is not defined", ex.Message);
    }

    [Fact]
    public async Task RunAsync_ConstructorEscapeToHostProcess_FindsNoProcess()
    {
        await using var runner = new CodeRunner();
        const string script = "async function main() { const p = (() => 0).constructor('return process')(); return p.getBuiltinModule('fs').readFileSync('/etc/hostname', 'utf8') }";

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync(script, [], CancellationToken.None));

        Assert.Equal("Code execution failed: process is not defined", ex.Message);
    }

    [Fact]
    public async Task RunAsync_EndlessLoop_StopsAtTimeLimit()
    {
        await using var runner = new CodeRunner(timeoutMilliseconds: 500);

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync("function main() { for (;;) {} }", [], CancellationToken.None));

        Assert.StartsWith("Code execution failed: Script execution timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EndlessLoopAfterAwait_ProcessIsKilled()
    {
        await using var runner = new CodeRunner(timeoutMilliseconds: 200);

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync("async function main() { await null; for (;;) {} }", [], CancellationToken.None));

        Assert.Equal("Code execution failed: timeout", ex.Message);
    }

    [Fact]
    public async Task RunAsync_PromiseNeverSettles_FailsWithoutWaiting()
    {
        await using var runner = new CodeRunner();

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync("async function main() { await new Promise(() => {}); }", [], CancellationToken.None));

        Assert.Equal("Code execution failed: main returned a promise that never settles", ex.Message);
    }

    [Fact]
    public async Task RunAsync_AssignmentToUndeclaredVariable_FailsInStrictMode()
    {
        await using var runner = new CodeRunner();

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync("async function main() { leaked = 1; return leaked }", [], CancellationToken.None));

        Assert.Equal("Code execution failed: leaked is not defined", ex.Message);
    }

    [Fact]
    public async Task RunAsync_AsyncMain_ReturnsParams()
    {
        await using var runner = new CodeRunner();

        var result = await runner.RunAsync("async function main({ params }) { return { doubled: params.n * 2 } }", new JsObject { ["n"] = 21d }, CancellationToken.None);

        Assert.Equal("{\"doubled\":42}", Js.Stringify(result));
    }
}
