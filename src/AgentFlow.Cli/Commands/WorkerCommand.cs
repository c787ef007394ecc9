using System.CommandLine;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Api;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Cli.Commands;

/// <summary><c>agentflow worker --db FILE</c>: resumes and runs the database's unfinished executions until Ctrl+C.</summary>
internal static class WorkerCommand
{
    public static Command Create(CliConsole console)
    {
        var db = RunsCommand.Db();
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL connection string (instead of --db)." };
        var schema = new Option<string>("--postgres-schema") { Description = "The PostgreSQL schema holding the store's tables (with --postgres).", DefaultValueFactory = _ => "agentflow" };
        var lease = new Option<string>("--lease") { Description = "How long a lease lives without a heartbeat, e.g. 30s.", DefaultValueFactory = _ => "30s" };
        var poll = new Option<string>("--poll") { Description = "Safety poll: how often to look for work, timers and signals when the store announced nothing, e.g. 5s (PostgreSQL announces across processes; a SQLite file only within one).", DefaultValueFactory = _ => "5s" };
        var maxExecutions = new Option<int>("--max-executions") { Description = "At most this many claimed executions working at once; parked ones (waiting for a signal or a timer) do not count.", DefaultValueFactory = _ => 64 };
        var owner = new Option<string?>("--owner") { Description = "This worker's name in leases (default: machine:pid)." };
        var untilIdle = new Option<bool>("--until-idle") { Description = "Exit once no unfinished execution is left instead of waiting for more." };
        var concurrency = new Option<int>("--concurrency") { Description = "At most this many nodes run at once.", DefaultValueFactory = _ => Environment.ProcessorCount * 16 };
        var command = new Command("worker", "Resume and run unfinished executions until Ctrl+C.") { db, postgres, schema, lease, poll, owner, untilIdle, concurrency, maxExecutions };
        command.SetAction(async (p, ct) =>
        {
            if (!Duration.TryFromValue(Value.From(p.GetValue(lease)), out var leaseTime) || leaseTime <= TimeSpan.Zero
                || !Duration.TryFromValue(Value.From(p.GetValue(poll)), out var pollTime) || pollTime <= TimeSpan.Zero)
            {
                await console.Error.WriteLineAsync("error: --lease and --poll take a positive duration such as 500ms, 5s or 1m.");
                return ExitCodes.InvalidInput;
            }

            if (p.GetValue(maxExecutions) < 1)
            {
                await console.Error.WriteLineAsync("error: --max-executions must be at least 1.");
                return ExitCodes.InvalidInput;
            }

            var options = new WorkflowHostOptions
            {
                OwnerId = p.GetValue(owner),
                LeaseDuration = leaseTime,
                PollInterval = pollTime,
                MaxConcurrentExecutions = p.GetValue(maxExecutions),
                Log = line => console.Error.WriteLine($"worker: {line}"),
                DefinitionLoaders = FlowGramTaskApi.HostDefinitionLoaders,
            };
            return await RunAsync(new StoreChoice(p.GetRequiredValue(db), p.GetValue(postgres), p.GetRequiredValue(schema)), options, p.GetValue(untilIdle), p.GetValue(concurrency), console, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(StoreChoice choice, WorkflowHostOptions options, bool untilIdle, int concurrency, CliConsole console, CancellationToken cancellationToken)
    {
        var store = choice.Postgres is { } connectionString
            ? await StoreOpener.OpenPostgresAsync(connectionString, choice.Schema, console, cancellationToken)
            : await StoreOpener.OpenSqliteAsync(choice.Db, mustExist: false, console, cancellationToken);
        if (store is null)
        {
            return ExitCodes.InvalidInput;
        }

        try
        {
            await using (store)
            {
                using var http = new HttpClient();
                using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store, Registry = HostNodes.CreateRegistry(http), MaxConcurrentNodes = Math.Max(1, concurrency) });
                await using var host = new WorkflowHost(runtime, options);
                await console.Error.WriteLineAsync($"worker {host.OwnerId} on {choice}: waiting for work (Ctrl+C to stop)");
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var working = host.RunAsync(stop.Token);
                if (untilIdle)
                {
                    await WaitUntilIdleAsync(store, host, options.PollInterval, runtime.TimeProvider, cancellationToken);
                    await stop.CancelAsync();
                }

                await working;
                return cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Success;
            }
        }
        catch (StoreException exception)
        {
            await StoreOpener.ReportAsync(exception, console);
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Idle: nothing runs here and the store has no unfinished execution left.</summary>
    private static async Task WaitUntilIdleAsync(IWorkflowStore store, WorkflowHost host, TimeSpan poll, TimeProvider time, CancellationToken cancellationToken)
    {
        Core.Execution.ExecutionStatus[] unfinished = [Core.Execution.ExecutionStatus.Running, Core.Execution.ExecutionStatus.Cancelling];
        while (true)
        {
            await Task.Delay(poll, time, cancellationToken);
            if (host.OwnedCount == 0 && host.Runtime.ActiveExecutionIds.Count == 0
                && (await store.QueryExecutionsAsync(new ExecutionQuery(unfinished, PageSize: 1), cancellationToken)).Items.Count == 0)
            {
                return;
            }
        }
    }

    /// <summary>Where the worker's executions live: a SQLite file, or a PostgreSQL server when given.</summary>
    private sealed record StoreChoice(string Db, string? Postgres, string Schema)
    {
        public override string ToString() => Postgres is null ? Db : "PostgreSQL";
    }
}
