using System.CommandLine;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Dsl;
using AgentFlow.Runtime;

namespace AgentFlow.Cli.Commands;

/// <summary><c>agentflow validate FILE</c>: every problem at once, with positions and hints.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The workflow file (YAML or JSON)." };
        var command = new Command("validate", "Check a workflow file and report every problem with file:line:column.") { file };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var path = parsed.GetRequiredValue(file);
            if (!File.Exists(path))
            {
                await console.Error.WriteLineAsync($"{path}: error: file not found.");
                return ExitCodes.InvalidInput;
            }

            if (FlowGramFile.IsFlowGram(path))
            {
                return await FlowGramFile.ValidateAsync(path, console);
            }

            var result = WorkflowLoader.LoadFile(path, StandardNodes.Catalog);
            await DefinitionFile.PrintAsync(result.Diagnostics, console);
            var errors = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            var warnings = result.Diagnostics.Count - errors;
            if (!result.Succeeded)
            {
                await console.Error.WriteLineAsync($"{path}: {errors} error(s), {warnings} warning(s).");
                return ExitCodes.InvalidInput;
            }

            await console.Out.WriteLineAsync($"{path}: valid ({result.Definition!.Nodes.Length} nodes, {warnings} warning(s)).");
            return ExitCodes.Success;
        });
        return command;
    }
}
