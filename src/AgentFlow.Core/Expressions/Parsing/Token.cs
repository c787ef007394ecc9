namespace AgentFlow.Core.Expressions.Parsing;

/// <summary>One lexical token; <see cref="Start"/> is an offset into the whole source string.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int Length, string? Text = null, double Number = 0)
{
    /// <summary>How the token is named in "found ..." parts of error messages.</summary>
    public string Describe(string source) => Kind switch
    {
        TokenKind.End => "end of expression",
        TokenKind.Number => $"number '{source.AsSpan(Start, Length)}'",
        TokenKind.String => $"string {source.AsSpan(Start, Math.Min(Length, 24))}{(Length > 24 ? "..." : string.Empty)}",
        TokenKind.Identifier => $"identifier '{Text}'",
        _ => $"'{source.AsSpan(Start, Length)}'",
    };
}
