namespace AgentFlow.Core.Diagnostics;

/// <summary>Where something stands in a source document: a 1-based line and column, and/or a JSON path.</summary>
/// <param name="File">The file name, when the document came from a file.</param>
/// <param name="Line">1-based line; 0 when unknown.</param>
/// <param name="Column">1-based column; 0 when unknown.</param>
/// <param name="Path">A JSON path such as <c>$.nodes[2].retry.maxAttempts</c>, when known.</param>
public sealed record SourceLocation(string? File, int Line, int Column, string? Path = null)
{
    /// <summary>A location that says nothing.</summary>
    public static SourceLocation Unknown { get; } = new(null, 0, 0);

    /// <summary>The same location moved right by <paramref name="columns"/> on the same line.</summary>
    public SourceLocation Offset(int columns) => this with { Column = Column + columns };

    /// <summary><c>file:line:col</c>, falling back to the JSON path.</summary>
    public override string ToString()
    {
        var file = File ?? "<input>";
        if (Line > 0)
        {
            return $"{file}:{Line}:{Column}";
        }

        return Path is null ? file : $"{file}:{Path}";
    }
}
