using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Stores.Sqlite;
using AgentFlow.Core.Values;

namespace AgentFlow.Cli.Tests.Durability;

/// <summary><c>runs pause</c>, <c>runs resume-paused</c> and <c>runs retry</c> against a SQLite file.</summary>
public sealed class RunsControlCommandTests
{
    private const string Waits = """
        id: approval
        nodes:
          - id: ask
            kind: wait
            with: { signal: approved }
        outputs:
          by: ${{ nodes.ask.output.by }}
        """;

    private const string FailsOnce = """
        id: fails-once
        nodes:
          - id: prepare
            kind: transform
            with: { value: 41 }
          - id: flaky
            kind: chaos
            needs: prepare
            with: { failAttempts: 1, output: done }
        outputs:
          result: ${{ nodes.flaky.output }}
        """;

    [Fact]
    public async Task RunsPause_UnownedExecution_PausedListedThenResumePausedCompletes()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "p.db");
        using var file = new TempWorkflow(Waits);
        using (var interrupt = new CancellationTokenSource())
        {
            await CliRunner.RunAsync(["run", file.Path, "--db", db], interrupt.Token, new SignallingWriter("ask", interrupt));
        }

        var id = Value.Parse((await CliRunner.RunAsync("runs", "list", "--db", db)).Output.Trim())["executionId"].AsString();
        var pause = await CliRunner.RunAsync("runs", "pause", id, "--db", db, "--reason", "audit");
        var again = await CliRunner.RunAsync("runs", "pause", id, "--db", db);
        var listed = await CliRunner.RunAsync("runs", "list", "--db", db, "--status", "paused");
        await CliRunner.RunAsync("runs", "signal", id, "approved", "--db", db, "--payload", """{"by":"ann"}""");
        var resume = await CliRunner.RunAsync("runs", "resume-paused", id, "--db", db, "--quiet");
        var pauseEnded = await CliRunner.RunAsync("runs", "pause", id, "--db", db);
        var retryEnded = await CliRunner.RunAsync("runs", "retry", id, "--db", db);

        Assert.Equal((0, 0), (pause.ExitCode, again.ExitCode));
        Assert.Contains("already paused", again.Error, StringComparison.Ordinal);
        Assert.Equal(id, Value.Parse(listed.Output.Trim())["executionId"].AsString());
        Assert.Equal(0, resume.ExitCode);
        Assert.Equal("ann", Value.Parse(resume.Output)["by"].AsString());
        Assert.Equal(1, pauseEnded.ExitCode);
        Assert.Contains("is succeeded: it cannot be paused", pauseEnded.Error, StringComparison.Ordinal);
        Assert.Equal(1, retryEnded.ExitCode);
        Assert.Contains("Only a failed execution can be retried", retryEnded.Error, StringComparison.Ordinal);
        var history = (await CliRunner.RunAsync("runs", "history", id, "--db", db)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(EventSerializer.Deserialize).ToList();
        Assert.Equal("audit", Assert.Single(history.OfType<ExecutionPaused>()).Reason);
        Assert.Single(history.OfType<ExecutionResumed>());
    }

    [Fact]
    public async Task RunsRetry_FailedExecution_RerunsOnlyTheFailedNode()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "r.db");
        using var file = new TempWorkflow(FailsOnce);

        var run = await CliRunner.RunAsync("run", file.Path, "--db", db, "--quiet");
        var id = Value.Parse((await CliRunner.RunAsync("runs", "list", "--db", db, "--status", "failed")).Output.Trim())["executionId"].AsString();
        var retry = await CliRunner.RunAsync("runs", "retry", id, "--db", db, "--quiet");
        var unknown = await CliRunner.RunAsync("runs", "retry", "nope", "--db", db);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(0, retry.ExitCode);
        Assert.Equal("done", Value.Parse(retry.Output)["result"].AsString());
        Assert.Equal(2, unknown.ExitCode);
        var history = (await CliRunner.RunAsync("runs", "history", id, "--db", db)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(EventSerializer.Deserialize).ToList();
        Assert.Single(history, e => e is NodeStarted { NodeId: "prepare" });
        Assert.Equal([1, 2], history.OfType<NodeStarted>().Where(e => e.NodeId == "flaky").Select(e => e.Attempt));
    }

    [Fact]
    public async Task RunsRetry_WorkflowDeletedSinceTheFailure_OneLineErrorAndTheExecutionStaysFailed()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "d.db");
        using var file = new TempWorkflow(FailsOnce);
        await CliRunner.RunAsync("run", file.Path, "--db", db, "--quiet");
        var id = Value.Parse((await CliRunner.RunAsync("runs", "list", "--db", db, "--status", "failed")).Output.Trim())["executionId"].AsString();
        await using (var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(db), CancellationToken.None))
        {
            Assert.Equal(DefinitionDeleteOutcome.Deleted, (await store.DeleteDefinitionAsync("fails-once", CancellationToken.None)).Outcome);
        }

        var retry = await CliRunner.RunAsync("runs", "retry", id, "--db", db);
        var listed = await CliRunner.RunAsync("runs", "list", "--db", db, "--status", "failed");

        Assert.Equal(2, retry.ExitCode);
        var line = Assert.Single(retry.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("workflow 'fails-once' version 1 is not in the store", line, StringComparison.Ordinal);
        Assert.Equal(id, Value.Parse(listed.Output.Trim())["executionId"].AsString());
    }
}
