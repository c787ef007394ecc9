using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Runtime;
using Spectre.Console;

namespace AgentFlow.Cli.Progress;

/// <summary>A table redrawn in place on a terminal: one row per node with its state, attempts and timing.</summary>
internal sealed class LiveProgressView(TextWriter writer, WorkflowDefinition definition) : IProgressView
{
    public async Task FollowAsync(ExecutionHandle handle, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        var rows = definition.Nodes.Select(n => n.Id).Prepend("workflow").ToDictionary(id => id, _ => new Row(), StringComparer.Ordinal);
        var startedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await console.Live(Render(rows)).AutoClear(false).StartAsync(async context =>
        {
            await foreach (var executionEvent in handle.WatchAsync(cancellationToken))
            {
                if (executionEvent is ExecutionStarted started)
                {
                    startedAt["workflow"] = started.Timestamp;
                }

                if (ProgressLine.Describe(executionEvent, startedAt) is not { } line || !rows.TryGetValue(line.Subject, out var row))
                {
                    continue;
                }

                row.State = line.State;
                row.Detail = line.Detail ?? string.Empty;
                if (executionEvent is NodeStarted node)
                {
                    row.Attempts = node.Attempt;
                }

                context.UpdateTarget(Render(rows));
            }
        });
    }

    private static Table Render(Dictionary<string, Row> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("node", "state", "attempts", "detail");
        foreach (var (id, row) in rows)
        {
            table.AddRow(Markup.Escape(id), Colour(row.State), row.Attempts == 0 ? "" : row.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(row.Detail));
        }

        return table;
    }

    private static string Colour(string state) => state switch
    {
        "succeeded" => "[green]succeeded[/]",
        "failed" => "[red]failed[/]",
        "retrying" => "[yellow]retrying[/]",
        "started" => "[blue]running[/]",
        "skipped" or "cancelled" => $"[grey]{state}[/]",
        _ => Markup.Escape(state),
    };

    private sealed class Row
    {
        public string State { get; set; } = "pending";

        public string Detail { get; set; } = string.Empty;

        public int Attempts { get; set; }
    }
}
