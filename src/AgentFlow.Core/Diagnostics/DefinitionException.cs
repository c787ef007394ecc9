namespace AgentFlow.Core.Diagnostics;

/// <summary>A definition could not be loaded or failed validation; carries every problem found.</summary>
public sealed class DefinitionException : Exception
{
    public DefinitionException(IReadOnlyList<Diagnostic> diagnostics)
        : base(Summarize(diagnostics)) => Diagnostics = diagnostics;

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    private static string Summarize(IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.Count == 1 ? diagnostics[0].ToString() : $"{diagnostics.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics)}";
}
