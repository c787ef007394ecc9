namespace AgentFlow.Core.Expressions.Parsing;

/// <summary>Unwinds the recursive-descent parser to <c>TryParse</c>, which turns it into an <see cref="ExpressionError"/>.</summary>
/// <remarks>Never escapes the assembly: the public API reports syntax errors as values.</remarks>
internal sealed class ParseException : Exception
{
    public ParseException(string message, int offset, string? hint = null)
        : base(message)
    {
        Offset = offset;
        Hint = hint;
    }

    public ParseException()
    {
    }

    public ParseException(string message)
        : base(message)
    {
    }

    public ParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>0-based offset in the whole source string.</summary>
    public int Offset { get; }

    public string? Hint { get; }
}
