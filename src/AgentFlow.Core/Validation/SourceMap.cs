using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Validation;

/// <summary>
/// What the loader knew about each value by JSON path: its position, and for template values their constant value,
/// keys and expression references. The definition model keeps only one location per node, so the validator uses
/// this side table to point at the exact parameter or expression in the file.
/// </summary>
internal sealed class SourceMap
{
    private readonly Dictionary<string, SourceEntry> _entries = new(StringComparer.Ordinal);

    public void Add(string path, SourceEntry entry) => _entries[path] = entry;

    /// <summary>Records a plain position unless something richer is already known for the path.</summary>
    public void AddPosition(string path, Diagnostics.SourceLocation location) =>
        _entries.TryAdd(path, new SourceEntry(location, false, 0, null, null, []));

    public bool TryGet(string? path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SourceEntry? entry)
    {
        entry = null;
        return path is not null && _entries.TryGetValue(path, out entry);
    }

    /// <summary>The position of the value at <paramref name="path"/>, or <paramref name="fallback"/> moved to that path.</summary>
    public SourceLocation Locate(string? path, SourceLocation fallback) =>
        TryGet(path, out var entry) ? entry.Location : fallback with { Path = path ?? fallback.Path };

    /// <summary>Finds the first expression under <paramref name="pathPrefix"/> that reads <paramref name="reference"/>.</summary>
    public SourceLocation? FindReference(string? pathPrefix, ExpressionReference reference)
    {
        if (pathPrefix is null)
        {
            return null;
        }

        SourceLocation? best = null;
        foreach (var (path, entry) in _entries)
        {
            if (!IsUnder(path, pathPrefix) || entry.References.Count == 0)
            {
                continue;
            }

            foreach (var candidate in entry.References)
            {
                if (candidate.Root == reference.Root && candidate.Member == reference.Member)
                {
                    var location = entry.At(candidate.Column - 1);
                    if (best is null || location.Line < best.Line || (location.Line == best.Line && location.Column < best.Column))
                    {
                        best = location;
                    }
                }
            }
        }

        return best;
    }

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal)
        && (path.Length == prefix.Length || path[prefix.Length] is '.' or '[');
}

/// <summary>One value the loader read.</summary>
/// <param name="Location">Where the value starts.</param>
/// <param name="SingleLine">Whether offsets inside the scalar map to columns (false for block and multi-line scalars).</param>
/// <param name="TextOffset">Columns between the value's start and its text (1 for a quoted scalar) plus where the parsed expression text starts.</param>
/// <param name="Constant">The value when it contains no expression.</param>
/// <param name="Keys">The keys when the value is a mapping.</param>
/// <param name="References">The expression references of this scalar alone.</param>
internal sealed record SourceEntry(
    SourceLocation Location,
    bool SingleLine,
    int TextOffset,
    Value? Constant,
    IReadOnlyList<string>? Keys,
    IReadOnlyList<ExpressionReference> References)
{
    /// <summary>The position of the 0-based <paramref name="offset"/> within the parsed text.</summary>
    public SourceLocation At(int offset) =>
        SingleLine ? Location.Offset(TextOffset + Math.Max(0, offset)) : Location;
}
