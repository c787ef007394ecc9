using System.Text.Json;
using AgentFlow.Cli.Progress;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Api;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Cli.Commands;

/// <summary>What each <c>runs</c> subcommand does; every failure is one line on stderr and exit code 2.</summary>
internal static class RunsActions
{
    public static Task<int> ListAsync(string db, string[] statusNames, string? workflow, int limit, CliConsole console, CancellationToken cancellationToken) =>
        WithStoreAsync(db, console, async store =>
        {
            if (limit is < 1 or > ExecutionQuery.MaxPageSize)
            {
                await console.Error.WriteLineAsync($"error: --limit must be between 1 and {ExecutionQuery.MaxPageSize}.");
                return ExitCodes.InvalidInput;
            }

            var statuses = await RunsCommand.ParseStatusesAsync(statusNames, console);
            if (statuses is null)
            {
                return ExitCodes.InvalidInput;
            }

            var page = await store.QueryExecutionsAsync(new ExecutionQuery(statuses, workflow, PageSize: limit), cancellationToken);
            foreach (var row in page.Items)
            {
                var line = Value.Object(
                    ("executionId", row.ExecutionId),
                    ("workflowId", row.WorkflowId),
                    ("workflowVersion", row.WorkflowVersion),
                    ("status", ExecutionStatusNames.Format(row.Status)),
                    ("createdAt", Timestamp(row.CreatedAt)),
                    ("finishedAt", row.FinishedAt is { } at ? Timestamp(at) : Value.Null),
                    ("parentExecutionId", row.ParentExecutionId));
                await console.Out.WriteLineAsync(line.ToJson());
            }

            return ExitCodes.Success;
        }, cancellationToken);

    public static Task<int> ShowAsync(string db, string id, CliConsole console, CancellationToken cancellationToken) =>
        WithStoreAsync(db, console, async store =>
        {
            var events = await store.ReadAsync(id, 1, cancellationToken);
            if (events.Count == 0)
            {
                return await UnknownAsync(id, console);
            }

            await console.Out.WriteLineAsync(ExecutionReport.FromEvents(events).ToJson(indented: true));
            return ExitCodes.Success;
        }, cancellationToken);

    public static Task<int> HistoryAsync(string db, string id, CliConsole console, CancellationToken cancellationToken) =>
        WithStoreAsync(db, console, async store =>
        {
            var events = await store.ReadAsync(id, 1, cancellationToken);
            if (events.Count == 0)
            {
                return await UnknownAsync(id, console);
            }

            foreach (var e in events)
            {
                await console.Out.WriteLineAsync(EventSerializer.Serialize(e));
            }

            return ExitCodes.Success;
        }, cancellationToken);

    public static Task<int> CancelAsync(string db, string id, CliConsole console, CancellationToken cancellationToken) =>
        WithHostAsync(db, console, async host =>
        {
            switch (await host.CancelAsync(id, cancellationToken))
            {
                case CancelOutcome.Unknown:
                    return await UnknownAsync(id, console);
                case CancelOutcome.AlreadyFinished:
                    await console.Error.WriteLineAsync($"execution {id} has already ended; nothing to cancel.");
                    return ExitCodes.WorkflowFailed;
                case CancelOutcome.Requested:
                    await console.Error.WriteLineAsync($"execution {id} runs in another process; cancellation requested through its inbox.");
                    return ExitCodes.Success;
                default:
                    await console.Error.WriteLineAsync($"execution {id} cancelled.");
                    return ExitCodes.Success;
            }
        }, cancellationToken);

    public static Task<int> ResumeAsync(string db, string id, bool quiet, CliConsole console, CancellationToken cancellationToken) =>
        WithHostAsync(db, console, async host =>
        {
            var handle = await host.ResumeAsync(id, cancellationToken);
            if (handle is null)
            {
                return await UnknownAsync(id, console);
            }

            IProgressView view = quiet ? new SilentProgressView() : new LineProgressView(console.Error);
            return await ExecutionFollower.FollowAsync(host.Runtime, handle, view, report: false, detachOnInterrupt: true, console, cancellationToken);
        }, cancellationToken);

    public static Task<int> SignalAsync(string db, string id, string name, string? payloadJson, CliConsole console, CancellationToken cancellationToken) =>
        WithStoreAsync(db, console, async store =>
        {
            Value payload;
            try
            {
                payload = payloadJson is null ? Value.Null : Value.Parse(payloadJson);
            }
            catch (JsonException exception)
            {
                await console.Error.WriteLineAsync($"error: --payload is not valid JSON: {exception.Message}");
                return ExitCodes.InvalidInput;
            }

            var record = await store.GetExecutionAsync(id, cancellationToken);
            if (record is null)
            {
                return await UnknownAsync(id, console);
            }

            if (record.IsTerminal)
            {
                await console.Error.WriteLineAsync($"error: execution {id} has already ended ({ExecutionStatusNames.Format(record.Status)}); the signal was not sent.");
                return ExitCodes.InvalidInput;
            }

            var sent = await store.SendSignalAsync(id, name, payload.ToJson(), null, cancellationToken);
            await console.Error.WriteLineAsync($"signal '{name}' sent to execution {id} (inbox id {sent.Signal.SignalId}).");
            return ExitCodes.Success;
        }, cancellationToken);

    internal static async Task<int> WithStoreAsync(string db, CliConsole console, Func<IWorkflowStore, Task<int>> action, CancellationToken cancellationToken)
    {
        var store = await StoreOpener.OpenSqliteAsync(db, mustExist: true, console, cancellationToken);
        if (store is null)
        {
            return ExitCodes.InvalidInput;
        }

        try
        {
            await using (store)
            {
                return await action(store);
            }
        }
        catch (StoreException exception)
        {
            await StoreOpener.ReportAsync(exception, console);
            return ExitCodes.InvalidInput;
        }
        catch (Exception exception) when (exception is ExecutionOwnedException or DefinitionUnavailableException or WorkflowDeletedException)
        {
            await console.Error.WriteLineAsync($"error: {exception.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (ExecutionConflictException exception)
        {
            await console.Error.WriteLineAsync($"error: {exception.Message}");
            return ExitCodes.WorkflowFailed;
        }
    }

    internal static Task<int> WithHostAsync(string db, CliConsole console, Func<WorkflowHost, Task<int>> action, CancellationToken cancellationToken) =>
        WithStoreAsync(db, console, async store =>
        {
            using var http = new HttpClient();
            using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store, Registry = HostNodes.CreateRegistry(http) });
            await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { DefinitionLoaders = FlowGramTaskApi.HostDefinitionLoaders });
            return await action(host);
        }, cancellationToken);

    internal static async Task<int> UnknownAsync(string id, CliConsole console)
    {
        await console.Error.WriteLineAsync($"error: no execution '{id}' in this database.");
        return ExitCodes.InvalidInput;
    }

    private static Value Timestamp(DateTimeOffset at) => at.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
