using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AgentFlow.FlowGram.Nodes;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Nodes;

public sealed class CodeRunnerPoolTests
{
    private const string EndlessAfterAwait = "async function main() { await null; for (;;) {} }";

    [Fact]
    public async Task RunAsync_GlobalsSetByOneRun_InvisibleToNextRunInSameProcess()
    {
        await using var runner = new CodeRunner(poolSize: 1);
        const string polluter = """
            async function main() {
              globalThis.leak = 42;
              Object.prototype.polluted = 1;
              Array.prototype.map = null;
              JSON.parse = () => ({ hijacked: true });
              return { done: true };
            }
            """;
        const string observer = """
            async function main({ params }) {
              return { leak: typeof leak, polluted: typeof ({}).polluted, map: typeof [].map, params };
            }
            """;

        await runner.RunAsync(polluter, [], CancellationToken.None);
        var seen = await runner.RunAsync(observer, new JsObject { ["n"] = 1d }, CancellationToken.None);

        Assert.Equal("""{"leak":"undefined","polluted":"undefined","map":"function","params":{"n":1}}""", Js.Stringify(seen));
        Assert.Equal(1, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RunAsync_AsyncEndlessLoop_KillsProcessAndReplacesIt()
    {
        await using var runner = new CodeRunner(poolSize: 1, timeoutMilliseconds: 300);
        await runner.RunAsync("async function main() { return 1 }", [], CancellationToken.None);
        var first = Assert.Single(runner.IdleProcessIds);

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync(EndlessAfterAwait, [], CancellationToken.None));

        Assert.Equal("Code execution failed: timeout", ex.Message);
        Assert.Empty(runner.IdleProcessIds);
        Assert.False(IsRunning(first));
        Assert.Equal(2d, await runner.RunAsync("async function main() { return 2 }", [], CancellationToken.None));
        Assert.NotEqual(first, Assert.Single(runner.IdleProcessIds));
        Assert.Equal(2, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RunAsync_SynchronousEndlessLoop_ProcessIsNotReused()
    {
        await using var runner = new CodeRunner(poolSize: 1, timeoutMilliseconds: 300);
        await runner.RunAsync("async function main() { return 1 }", [], CancellationToken.None);
        var first = Assert.Single(runner.IdleProcessIds);

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync("function main() { for (;;) {} }", [], CancellationToken.None));

        Assert.Equal("Code execution failed: Script execution timed out after 300ms", ex.Message);
        Assert.Empty(runner.IdleProcessIds);
        Assert.False(IsRunning(first));
    }

    [Fact]
    public async Task RunAsync_MicrotasksLeftSpinningAfterMainReturns_TimesOutThatRunNotTheNext()
    {
        await using var runner = new CodeRunner(poolSize: 1, timeoutMilliseconds: 300);
        const string spinner = "async function main() { (async () => { for (;;) await null; })(); return 1 }";

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync(spinner, [], CancellationToken.None));

        Assert.Equal("Code execution failed: timeout", ex.Message);
        Assert.Equal(3d, await runner.RunAsync("async function main() { return 3 }", [], CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_CancelledMidRun_KillsProcessAndThrows()
    {
        await using var runner = new CodeRunner(poolSize: 1);
        await runner.RunAsync("async function main() { return 1 }", [], CancellationToken.None);
        var first = Assert.Single(runner.IdleProcessIds);
        using var cancel = new CancellationTokenSource();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(EndlessAfterAwait, [], cancel.Token));

        Assert.Empty(runner.IdleProcessIds);
        Assert.False(IsRunning(first));
        Assert.Equal(4d, await runner.RunAsync("async function main() { return 4 }", [], CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaitingForAProcess_ThrowsWithoutRunning()
    {
        await using var runner = new CodeRunner(poolSize: 1);
        using var stopBusy = new CancellationTokenSource();
        var busy = runner.RunAsync(EndlessAfterAwait, [], stopBusy.Token);
        using var cancel = new CancellationTokenSource();
        var waiting = runner.RunAsync("async function main() { return 1 }", [], cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await stopBusy.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => busy);
        Assert.Equal(1, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RunAsync_MoreRunsThanProcesses_RunsPoolSizeAtOnceOnWarmProcesses()
    {
        await using var runner = new CodeRunner(poolSize: 2);
        const string busy = "function main({ params }) { const end = Date.now() + 300; while (Date.now() < end) {} return params.i * 10 }";

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => runner.RunAsync(busy, new JsObject { ["i"] = (double)i }, CancellationToken.None)));

        Assert.Equal([0d, 10d, 20d, 30d, 40d], results);
        Assert.Equal(2, runner.PeakConcurrency);
        Assert.Equal(2, runner.ProcessesStarted);
        Assert.Equal(2, runner.IdleProcessIds.Count);
    }

    [Fact]
    public async Task RunAsync_HeapExhausted_ReportsItAndNextRunGetsANewProcess()
    {
        await using var runner = new CodeRunner(poolSize: 1, memoryMegabytes: 32);
        const string hog = "async function main() { const a = []; for (;;) a.push(new Array(100000).fill(0)); }";

        var ex = await Assert.ThrowsAsync<FlowGramException>(() => runner.RunAsync(hog, [], CancellationToken.None));

        Assert.Equal("Code execution failed: JavaScript heap out of memory", ex.Message);
        Assert.Equal(5d, await runner.RunAsync("async function main() { return 5 }", [], CancellationToken.None));
        Assert.Equal(2, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RunAsync_StrayRejectedPromise_DoesNotBreakTheProcess()
    {
        await using var runner = new CodeRunner(poolSize: 1);

        var first = await runner.RunAsync("async function main() { Promise.reject(new Error('stray')); return 1 }", [], CancellationToken.None);
        var second = await runner.RunAsync("async function main() { return 2 }", [], CancellationToken.None);

        Assert.Equal([1d, 2d], [first, second]);
        Assert.Equal(1, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RunAsync_ScriptReachesForNetworkAndFiles_HasNoWayOut()
    {
        await using var runner = new CodeRunner(poolSize: 1);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var file = Path.Combine(Path.GetTempPath(), $"agentflow-code-{Guid.NewGuid():N}.txt");
        var script = $$"""
            async function main() {
              const tried = {};
              const attempt = async (name, f) => { try { await f(); tried[name] = 'reached'; } catch (e) { tried[name] = e.constructor.name; } };
              await attempt('fetch', () => fetch('http://127.0.0.1:{{port}}/'));
              await attempt('net', async () => (await import('node:net')).connect({{port}}, '127.0.0.1'));
              await attempt('fs', async () => (await import('node:fs')).writeFileSync('{{file}}', 'x'));
              await attempt('escape', () => (() => 0).constructor('return process')().getBuiltinModule('fs').writeFileSync('{{file}}', 'x'));
              return { tried, globals: [typeof fetch, typeof WebSocket, typeof XMLHttpRequest, typeof require, typeof process, typeof setTimeout] };
            }
            """;

        var result = await runner.RunAsync(script, [], CancellationToken.None);

        Assert.Equal(
            """{"tried":{"fetch":"ReferenceError","net":"TypeError","fs":"TypeError","escape":"ReferenceError"},"globals":["undefined","undefined","undefined","undefined","undefined","undefined"]}""",
            Js.Stringify(result));
        Assert.False(listener.Pending());
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task RunAsync_ProcessLeftAfterIdling_StartsANewOne()
    {
        await using var runner = new CodeRunner(poolSize: 1, idleMilliseconds: 200);
        await runner.RunAsync("async function main() { return 1 }", [], CancellationToken.None);
        using (var idle = Process.GetProcessById(Assert.Single(runner.IdleProcessIds)))
        {
            await idle.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(6d, await runner.RunAsync("async function main() { return 6 }", [], CancellationToken.None));
        Assert.Equal(2, runner.ProcessesStarted);
    }

    [Fact]
    public async Task RunAsync_ProcessLeavingAsTheRequestArrives_RunsOnAFreshProcess()
    {
        // With a 1 ms idle limit the process usually leaves between two runs, often after the pool handed it the next
        // request; that request must then run on a new process, not fail.
        await using var runner = new CodeRunner(poolSize: 1, idleMilliseconds: 1);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal((double)i, await runner.RunAsync("async function main({ params }) { return params.i }", new JsObject { ["i"] = (double)i }, CancellationToken.None));
        }
    }

    [Fact]
    public async Task DisposeAsync_IdleProcesses_AreKilled()
    {
        var runner = new CodeRunner(poolSize: 1);
        await runner.RunAsync("async function main() { return 1 }", [], CancellationToken.None);
        var pid = Assert.Single(runner.IdleProcessIds);

        await runner.DisposeAsync();

        Assert.False(IsRunning(pid));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => runner.RunAsync("async function main() { return 1 }", [], CancellationToken.None));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
