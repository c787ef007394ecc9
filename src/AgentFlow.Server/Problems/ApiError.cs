using AgentFlow.Core.Diagnostics;

namespace AgentFlow.Server.Problems;

/// <summary>One entry of a problem's <c>errors</c> array: what is wrong, where, and how to fix it.</summary>
/// <param name="Code">A stable code, e.g. <c>AF0101</c> for definition diagnostics.</param>
/// <param name="Location">Where in the request body (line/column and/or JSON path); null when not tied to a place.</param>
public sealed record ApiError(string Code, string Message, ApiErrorLocation? Location, string? Hint)
{
    /// <summary>Converts a loader or binder diagnostic.</summary>
    public static ApiError From(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        var location = diagnostic.Location;
        var where = location.Line == 0 && location.Path is null ? null : new ApiErrorLocation(location.Line == 0 ? null : location.Line, location.Column == 0 ? null : location.Column, location.Path);
        return new ApiError(diagnostic.Code, diagnostic.Message, where, diagnostic.Hint);
    }
}

/// <summary>A place in a request body.</summary>
public sealed record ApiErrorLocation(int? Line, int? Column, string? Path);
