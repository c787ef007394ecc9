using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Validation;

namespace AgentFlow.Core.Dsl;

/// <summary>Loads a workflow from the YAML or JSON DSL (see docs/dsl.md): parse, build, validate, reporting every problem at once.</summary>
public static class WorkflowLoader
{
    /// <summary>Reads and loads a file; <c>.json</c> files are JSON, everything else is YAML.</summary>
    public static LoadResult LoadFile(string path, NodeKindCatalog catalog)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new LoadResult(null, [new Diagnostic(DiagnosticCodes.FileUnreadable, $"Cannot read the workflow file: {exception.Message}", new SourceLocation(path, 0, 0))]);
        }

        return Load(text, path, catalog);
    }

    /// <summary>Loads a document; JSON when <paramref name="fileName"/> ends in .json or the text starts with <c>{</c>, else YAML.</summary>
    public static LoadResult Load(string text, string? fileName, NodeKindCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(catalog);
        var context = new DslContext(fileName);
        var root = DocumentParser.Parse(text, fileName, context.Diagnostics);
        if (root is null)
        {
            return new LoadResult(null, context.Diagnostics);
        }

        var definition = new WorkflowReader(context, catalog).Read(root, "$", null, mapBody: false);
        if (definition is not null)
        {
            context.Diagnostics.AddRange(WorkflowValidator.Validate(definition, catalog, context.SourceMap));
        }

        var diagnostics = context.Diagnostics
            .Distinct()
            .OrderBy(d => d.Location.Line == 0 ? int.MaxValue : d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
        return new LoadResult(definition, diagnostics);
    }
}
