using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Cli.Tests.Durability;

/// <summary>Durable waits across a real SIGKILL: a sleep still pending and a signal sent before its wait began.</summary>
public sealed class ProcessRestartTests
{
    [Fact]
    public async Task Worker_AfterKill_SleepFiresAndSignalSentBeforeWaitIsDelivered()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "p.db");
        using var file = new TempWorkflow("""
            id: nap-then-ask
            nodes:
              - id: nap
                kind: sleep
                with: { duration: 2s }
              - id: ask
                kind: wait
                needs: nap
                with: { signal: approved, timeout: 1h }
            outputs:
              by: ${{ nodes.ask.output.by }}
            """);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // Run until the sleep is recorded, then SIGKILL the process: no cleanup, its lease left to expire.
        string id;
        using (var run = WorkerProcess.Start("run", file.Path, "--db", db, "--lease", "1s"))
        {
            id = await WaitForHistoryAsync(db, "timerScheduled", deadline.Token);
            await run.KillAsync();
        }

        var signal = await CliRunner.RunAsync("runs", "signal", id, "approved", "--db", db, "--payload", """{"by":"ann"}""");
        using var worker = WorkerProcess.Start("worker", "--db", db, "--lease", "1s", "--poll", "50ms", "--until-idle");
        await worker.WaitForExitAsync(deadline.Token);
        var history = (await CliRunner.RunAsync("runs", "history", id, "--db", db)).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(EventSerializer.Deserialize).ToList();

        Assert.Equal(0, signal.ExitCode);
        Assert.Equal(0, worker.ExitCode);
        Assert.Single(history.OfType<TimerFired>(), t => t.NodeId == "nap");
        Assert.Equal("ann", Assert.Single(history.OfType<SignalReceived>()).Payload["by"].AsString());
        Assert.Equal("ann", Assert.IsType<ExecutionCompleted>(history[^1]).Outputs["by"].AsString());
    }

    /// <summary>Polls the database (through the CLI, as an operator would) until the first execution's log has an event of this type.</summary>
    private static async Task<string> WaitForHistoryAsync(string db, string type, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (File.Exists(db))
            {
                var list = await CliRunner.RunAsync("runs", "list", "--db", db);
                if (list.ExitCode == 0 && list.Output.Trim().Length > 0)
                {
                    var id = Value.Parse(list.Output.Trim().Split('\n')[0])["executionId"].AsString();
                    var history = await CliRunner.RunAsync("runs", "history", id, "--db", db);
                    if (history.Output.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal))
                    {
                        return id;
                    }
                }
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}
