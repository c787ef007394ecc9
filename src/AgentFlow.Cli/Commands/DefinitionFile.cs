using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Dsl;

namespace AgentFlow.Cli.Commands;

/// <summary>Loads a workflow file and prints its problems the same way for every command.</summary>
internal static class DefinitionFile
{
    /// <summary>The loaded definition, or null after printing every problem found.</summary>
    public static async Task<WorkflowDefinition?> LoadAsync(string path, NodeKindCatalog catalog, CliConsole console)
    {
        if (!File.Exists(path))
        {
            await console.Error.WriteLineAsync($"{path}: error: file not found.");
            return null;
        }

        var result = WorkflowLoader.LoadFile(path, catalog);
        await PrintAsync(result.Diagnostics, console);
        return result.Succeeded ? result.Definition : null;
    }

    public static async Task PrintAsync(IEnumerable<Diagnostic> diagnostics, CliConsole console)
    {
        foreach (var diagnostic in diagnostics)
        {
            await console.Error.WriteLineAsync(diagnostic.ToString());
        }
    }
}
