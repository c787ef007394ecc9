namespace AgentFlow.Core.Diagnostics;

/// <summary>One problem found in a definition: what is wrong, where, and how to fix it.</summary>
/// <param name="Code">A stable identifier such as <c>AF0101</c>.</param>
/// <param name="Message">What is wrong, in one sentence.</param>
/// <param name="Location">Where it is.</param>
/// <param name="Hint">How to fix it, when there is a useful suggestion.</param>
/// <param name="Severity">Errors make a definition unusable; warnings do not.</param>
public sealed record Diagnostic(
    string Code,
    string Message,
    SourceLocation Location,
    string? Hint = null,
    DiagnosticSeverity Severity = DiagnosticSeverity.Error)
{
    /// <summary>True for <see cref="DiagnosticSeverity.Error"/>.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Formats as <c>file:line:col: error CODE: message (hint: ...)</c>.</summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Warning ? "warning" : "error";
        return Hint is null
            ? $"{Location}: {severity} {Code}: {Message}"
            : $"{Location}: {severity} {Code}: {Message} (hint: {Hint})";
    }
}
