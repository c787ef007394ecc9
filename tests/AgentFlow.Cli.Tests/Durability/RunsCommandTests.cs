using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Cli.Tests.Durability;

/// <summary><c>run --db</c>, <c>runs ...</c> and <c>worker</c> in-process: what they print and how they fail.</summary>
public sealed class RunsCommandTests
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

    [Fact]
    public async Task RunWithDb_Sample_RecordedAndListedShownAndHistoryContiguous()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "a.db");

        var run = await CliRunner.RunAsync("run", CliRunner.Sample("routing.yaml"), "--input", "amount=1500", "--input", "region=us", "--db", db, "--quiet");
        var list = await CliRunner.RunAsync("runs", "list", "--db", db, "--status", "succeeded");
        var row = Value.Parse(list.Output.Trim());
        var id = row["executionId"].AsString();
        var show = await CliRunner.RunAsync("runs", "show", id, "--db", db);
        var history = await CliRunner.RunAsync("runs", "history", id, "--db", db);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("New York", Value.Parse(run.Output)["desk"].AsString());
        Assert.Equal(("succeeded", 1.0), (row["status"].AsString(), row["workflowVersion"].AsNumber()));
        Assert.Equal("succeeded", Value.Parse(show.Output)["status"].AsString());
        var events = history.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(EventSerializer.Deserialize).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.IsType<ExecutionCompleted>(events[^1]);
    }

    [Fact]
    public async Task RunsSignal_ToWaitingExecution_ResumeCompletesWithPayload()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "w.db");
        using var file = new TempWorkflow(Waits);
        using (var interrupt = new CancellationTokenSource())
        {
            var progress = new SignallingWriter("ask", interrupt);
            var detached = await CliRunner.RunAsync(["run", file.Path, "--db", db], interrupt.Token, progress);
            Assert.Equal(130, detached.ExitCode);
        }

        var id = Value.Parse((await CliRunner.RunAsync("runs", "list", "--db", db)).Output.Trim())["executionId"].AsString();
        var signal = await CliRunner.RunAsync("runs", "signal", id, "approved", "--db", db, "--payload", """{"by":"ann"}""");
        var resume = await CliRunner.RunAsync("runs", "resume", id, "--db", db, "--quiet");

        Assert.Equal(0, signal.ExitCode);
        Assert.Equal(0, resume.ExitCode);
        Assert.Equal("ann", Value.Parse(resume.Output)["by"].AsString());
    }

    [Fact]
    public async Task RunsCancel_UnownedRunningExecution_EndsCancelled()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "c.db");
        using var file = new TempWorkflow(Waits);
        using (var interrupt = new CancellationTokenSource())
        {
            await CliRunner.RunAsync(["run", file.Path, "--db", db], interrupt.Token, new SignallingWriter("ask", interrupt));
        }

        var id = Value.Parse((await CliRunner.RunAsync("runs", "list", "--db", db)).Output.Trim())["executionId"].AsString();
        var cancel = await CliRunner.RunAsync("runs", "cancel", id, "--db", db);
        var again = await CliRunner.RunAsync("runs", "cancel", id, "--db", db);

        Assert.Equal(0, cancel.ExitCode);
        Assert.Equal("cancelled", Value.Parse((await CliRunner.RunAsync("runs", "show", id, "--db", db)).Output)["status"].AsString());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already ended", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("show", "x")]
    [InlineData("history", "x")]
    [InlineData("resume", "x")]
    [InlineData("cancel", "x")]
    [InlineData("signal", "x", "go")]
    public async Task Runs_MissingDatabase_OneLineExitTwoNothingCreated(params string[] args)
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "none.db");

        var result = await CliRunner.RunAsync(["runs", .. args, "--db", db]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: database '{db}' not found (pass --db FILE; 'agentflow run FILE --db {db}' creates one).", result.Error.Trim());
        Assert.False(File.Exists(db));
    }

    [Theory]
    [InlineData("show")]
    [InlineData("history")]
    [InlineData("resume")]
    [InlineData("cancel")]
    public async Task Runs_UnknownId_OneLineExitTwo(string command)
    {
        using var directory = new TempDirectory();
        var db = await NewDatabaseAsync(directory);

        var result = await CliRunner.RunAsync("runs", command, "nope", "--db", db);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: no execution 'nope' in this database.", result.Error.Trim());
    }

    [Fact]
    public async Task RunsSignal_BadJsonPayload_OneLineExitTwo()
    {
        using var directory = new TempDirectory();
        var db = await NewDatabaseAsync(directory);
        var id = Value.Parse((await CliRunner.RunAsync("runs", "list", "--db", db)).Output.Trim())["executionId"].AsString();

        var result = await CliRunner.RunAsync("runs", "signal", id, "go", "--db", db, "--payload", "{nope");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --payload is not valid JSON", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Runs_NotADatabase_OneLineExitTwoNoStackTrace()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "junk.db");
        await File.WriteAllTextAsync(db, "this is not sqlite, just text that is long enough to have a header");

        var result = await CliRunner.RunAsync("runs", "list", "--db", db);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_PostgresUnreachable_OneLineExitTwo()
    {
        var result = await CliRunner.RunAsync("worker", "--postgres", "Host=127.0.0.1;Port=1;Username=agentflow;Database=none;Timeout=2", "--until-idle");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: cannot connect to PostgreSQL at 127.0.0.1:1: Connection refused; check --postgres", result.Error.Trim());
    }

    [Fact]
    public async Task Worker_PostgresSchemaInvalid_OneLineExitTwo()
    {
        // The name is checked before connecting, so no server is needed.
        var result = await CliRunner.RunAsync("worker", "--postgres", "Host=127.0.0.1;Port=1;Username=agentflow;Database=none;Timeout=2", "--postgres-schema", "Bad-Name", "--until-idle");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --postgres-schema 'Bad-Name' is not valid: use 1 to 40 lowercase letters, digits or underscores, starting with a letter or underscore.", result.Error.Trim());
    }

    [Fact]
    public async Task Worker_PostgresServer_MigratesAndExitsWhenIdle()
    {
        // CI starts a server and sets this; on a machine without one there is nothing to connect to.
        var connection = Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES");
        if (connection is null)
        {
            Assert.NotEqual("true", Environment.GetEnvironmentVariable("CI"));
            return;
        }

        var result = await CliRunner.RunAsync("worker", "--postgres", connection, "--until-idle", "--poll", "50ms");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("on PostgreSQL: waiting for work", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DbAndEphemeral_ExitTwo()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("routing.yaml"), "--db", "x.db", "--ephemeral");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot be combined", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Ephemeral_SucceedsOnDurableRuntime()
    {
        var result = await CliRunner.RunAsync("run", CliRunner.Sample("retry.yaml"), "--ephemeral", "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(42, Value.Parse(result.Output)["answer"].AsNumber());
    }

    [Fact]
    public async Task Run_EphemeralInterrupted_CancelsLikeAnInMemoryRun()
    {
        using var file = new TempWorkflow(Waits);
        using var interrupt = new CancellationTokenSource();
        var progress = new SignallingWriter("ask", interrupt);

        var result = await CliRunner.RunAsync(["run", file.Path, "--ephemeral"], interrupt.Token, progress);

        Assert.Equal(130, result.ExitCode);
        Assert.Matches(@"workflow\s+cancelled", progress.ToString());
    }

    /// <summary>A database holding one execution that waits forever.</summary>
    private static async Task<string> NewDatabaseAsync(TempDirectory directory)
    {
        var db = Path.Combine(directory.Path, "one.db");
        using var file = new TempWorkflow(Waits);
        using var interrupt = new CancellationTokenSource();
        await CliRunner.RunAsync(["run", file.Path, "--db", db], interrupt.Token, new SignallingWriter("ask", interrupt));
        return db;
    }
}
