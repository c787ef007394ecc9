using System.CommandLine;
using AgentFlow.Cli.Commands;

namespace AgentFlow.Cli;

/// <summary>The <c>agentflow</c> command line: a thin host over the runtime facade.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var root = new RootCommand("AgentFlow: run, validate and draw workflows.")
        {
            RunCommand.Create(console),
            ValidateCommand.Create(console),
            GraphCommand.Create(console),
            RunsCommand.Create(console),
            WorkerCommand.Create(console),
            ServeCommand.Create(console),
            KeysCommand.Create(console),
        };
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await console.Error.WriteLineAsync("Run 'agentflow --help' for usage.");
            return ExitCodes.InvalidInput;
        }

        return await parsed.InvokeAsync(configuration, cancellationToken);
    }
}
