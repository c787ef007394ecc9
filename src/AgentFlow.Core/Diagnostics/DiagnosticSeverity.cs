namespace AgentFlow.Core.Diagnostics;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The definition cannot be used.</summary>
    Error = 0,

    /// <summary>The definition is usable but probably not what the author meant.</summary>
    Warning,
}
