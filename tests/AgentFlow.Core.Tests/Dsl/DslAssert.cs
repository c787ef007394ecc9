using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Dsl;

namespace AgentFlow.Core.Tests.Dsl;

/// <summary>Loading helpers that print every diagnostic when an assertion fails.</summary>
internal static class DslAssert
{
    public static LoadResult Load(string text, string file = "wf.yaml") =>
        WorkflowLoader.Load(text, file, NodeKindCatalog.BuiltIn);

    public static WorkflowDefinition LoadOk(string text, string file = "wf.yaml")
    {
        var result = Load(text, file);
        Assert.True(result.Succeeded, "Expected success but got:\n" + Dump(result.Diagnostics));
        return result.Definition!;
    }

    /// <summary>Asserts a diagnostic with this code at exactly line:column, and returns it.</summary>
    public static Diagnostic Has(LoadResult result, string code, int line, int column)
    {
        var match = result.Diagnostics.FirstOrDefault(d => d.Code == code && d.Location.Line == line && d.Location.Column == column);
        Assert.True(match is not null, $"Expected {code} at {line}:{column} but got:\n" + Dump(result.Diagnostics));
        return match!;
    }

    public static Diagnostic Has(IReadOnlyList<Diagnostic> diagnostics, string code)
    {
        var match = diagnostics.FirstOrDefault(d => d.Code == code);
        Assert.True(match is not null, $"Expected {code} but got:\n" + Dump(diagnostics));
        return match!;
    }

    public static string Dump(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => $"{d} [{d.Location.Path}]"));
}
