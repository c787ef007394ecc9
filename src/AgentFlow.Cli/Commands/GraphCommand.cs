using System.CommandLine;
using AgentFlow.Core.Graph;
using AgentFlow.Runtime;

namespace AgentFlow.Cli.Commands;

/// <summary><c>agentflow graph FILE</c>: the workflow as a Mermaid flowchart.</summary>
internal static class GraphCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The workflow file (YAML or JSON)." };
        var command = new Command("graph", "Print the workflow as a Mermaid flowchart.") { file };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var path = parsed.GetRequiredValue(file);
            if (FlowGramFile.IsFlowGram(path))
            {
                var mapped = FlowGram.Definitions.FlowGramDefinitionMapper.Map(await File.ReadAllTextAsync(path, cancellationToken), Path.GetFileNameWithoutExtension(path), path);
                await console.Out.WriteAsync(MermaidGraph.Render(mapped));
                return ExitCodes.Success;
            }

            var definition = await DefinitionFile.LoadAsync(path, StandardNodes.Catalog, console);
            if (definition is null)
            {
                return ExitCodes.InvalidInput;
            }

            await console.Out.WriteAsync(MermaidGraph.Render(definition));
            return ExitCodes.Success;
        });
        return command;
    }
}
