using System.CommandLine;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Cli.Commands;

/// <summary><c>agentflow runs ...</c>: list, inspect, resume, cancel, pause, retry and signal the executions in a database.</summary>
internal static class RunsCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("runs", "Inspect and operate on the executions stored in a database.");
        var status = new Option<string[]>("--status") { Description = "Only executions in these states (running, paused, succeeded, failed, cancelling, cancelled).", AllowMultipleArgumentsPerToken = true };
        var workflow = new Option<string?>("--workflow") { Description = "Only executions of this workflow id." };
        var limit = new Option<int>("--limit") { Description = "At most this many rows.", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List executions, newest first, one JSON object per line.") { Db(), status, workflow, limit };
        list.SetAction((p, ct) => RunsActions.ListAsync(Database(p, list), p.GetValue(status) ?? [], p.GetValue(workflow), p.GetValue(limit), console, ct));
        command.Subcommands.Add(list);

        var showId = Id();
        var show = new Command("show", "Print an execution's report as JSON.") { showId, Db() };
        show.SetAction((p, ct) => RunsActions.ShowAsync(Database(p, show), p.GetRequiredValue(showId), console, ct));
        command.Subcommands.Add(show);

        var historyId = Id();
        var history = new Command("history", "Print an execution's events, one JSON object per line.") { historyId, Db() };
        history.SetAction((p, ct) => RunsActions.HistoryAsync(Database(p, history), p.GetRequiredValue(historyId), console, ct));
        command.Subcommands.Add(history);

        var cancelId = Id();
        var cancel = new Command("cancel", "Cancel an execution (through its owner's inbox when another process runs it).") { cancelId, Db() };
        cancel.SetAction((p, ct) => RunsActions.CancelAsync(Database(p, cancel), p.GetRequiredValue(cancelId), console, ct));
        command.Subcommands.Add(cancel);

        var resumeId = Id();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Show no progress." };
        var resume = new Command("resume", "Continue an unfinished execution here until it ends, then print its outputs.") { resumeId, Db(), quiet };
        resume.SetAction((p, ct) => RunsActions.ResumeAsync(Database(p, resume), p.GetRequiredValue(resumeId), p.GetValue(quiet), console, ct));
        command.Subcommands.Add(resume);

        var pauseId = Id();
        var reason = new Option<string?>("--reason") { Description = "Why, recorded in the log." };
        var pause = new Command("pause", "Pause an execution: nothing new starts, running nodes finish (through its owner's inbox when another process runs it).") { pauseId, Db(), reason };
        pause.SetAction((p, ct) => RunsControlActions.PauseAsync(Database(p, pause), p.GetRequiredValue(pauseId), p.GetValue(reason), console, ct));
        command.Subcommands.Add(pause);

        var resumePausedId = Id();
        var resumePausedQuiet = new Option<bool>("--quiet", "-q") { Description = "Show no progress." };
        var resumePaused = new Command("resume-paused", "Resume a paused execution; when no other process runs it, it continues here until it ends.") { resumePausedId, Db(), resumePausedQuiet };
        resumePaused.SetAction((p, ct) => RunsControlActions.ResumePausedAsync(Database(p, resumePaused), p.GetRequiredValue(resumePausedId), p.GetValue(resumePausedQuiet), console, ct));
        command.Subcommands.Add(resumePaused);

        var retryId = Id();
        var retryQuiet = new Option<bool>("--quiet", "-q") { Description = "Show no progress." };
        var retry = new Command("retry", "Retry a failed execution from the node(s) that failed it; completed nodes do not run again. Runs here until it ends.") { retryId, Db(), retryQuiet };
        retry.SetAction((p, ct) => RunsControlActions.RetryAsync(Database(p, retry), p.GetRequiredValue(retryId), p.GetValue(retryQuiet), console, ct));
        command.Subcommands.Add(retry);

        var signalId = Id();
        var name = new Argument<string>("name") { Description = "The signal name a wait node waits for." };
        var payload = new Option<string?>("--payload") { Description = "The signal's payload as JSON (null when omitted)." };
        var signal = new Command("signal", "Send a signal to an execution; kept in its inbox until a wait node takes it.") { signalId, name, Db(), payload };
        signal.SetAction((p, ct) => RunsActions.SignalAsync(Database(p, signal), p.GetRequiredValue(signalId), p.GetRequiredValue(name), p.GetValue(payload), console, ct));
        command.Subcommands.Add(signal);
        return command;
    }

    public static Option<string> Db() => new("--db") { Description = "The SQLite database file.", DefaultValueFactory = _ => StoreOpener.DefaultDatabase };

    private static Argument<string> Id() => new("id") { Description = "The execution id." };

    private static string Database(ParseResult parsed, Command command) =>
        parsed.GetValue(command.Options.OfType<Option<string>>().Single(o => o.Name == "--db")) ?? StoreOpener.DefaultDatabase;

    /// <summary>Parses status names given to <c>--status</c>; null after printing an error.</summary>
    public static async Task<ExecutionStatus[]?> ParseStatusesAsync(string[] names, CliConsole console)
    {
        var statuses = new List<ExecutionStatus>();
        foreach (var name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            try
            {
                statuses.Add(ExecutionStatusNames.Parse(name));
            }
            catch (FormatException)
            {
                await console.Error.WriteLineAsync($"error: '{name}' is not a status (use running, paused, succeeded, failed, cancelling or cancelled).");
                return null;
            }
        }

        return [.. statuses];
    }
}
