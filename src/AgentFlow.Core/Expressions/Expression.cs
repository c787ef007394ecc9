using System.Diagnostics.CodeAnalysis;
using AgentFlow.Core.Expressions.Parsing;
using AgentFlow.Core.Expressions.Syntax;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions;

/// <summary>A parsed expression (the text inside <c>${{ }}</c>). Immutable and thread-safe; parse once, evaluate many times.</summary>
/// <remarks>The language is described in <c>docs/expressions.md</c>.</remarks>
public sealed class Expression
{
    private readonly ExprNode _root;

    private Expression(string text, ExprNode root, IReadOnlyList<ExpressionReference> references, bool readsScope)
    {
        Text = text;
        _root = root;
        References = references;
        ReadsScope = readsScope;
    }

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>The roots this expression reads.</summary>
    public IReadOnlyList<ExpressionReference> References { get; }

    /// <summary>True when evaluation consults the scope at all: a root, a node, or the clock (<c>now()</c>).</summary>
    public bool ReadsScope { get; }

    /// <summary>Parses an expression; on failure returns false and the first syntax error.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Expression? expression, [NotNullWhen(false)] out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, 0, text.Length, trimText: false, out expression, out error);
    }

    /// <summary>Parses an expression, throwing when it is malformed.</summary>
    /// <exception cref="FormatException">The text is not a valid expression; the message carries the column and hint.</exception>
    public static Expression Parse(string text)
    {
        if (TryParse(text, out var expression, out var error))
        {
            return expression;
        }

        throw new FormatException($"{error.Message} (column {error.Column}).{(error.Hint is null ? string.Empty : " " + error.Hint)}");
    }

    /// <summary>
    /// Parses <c>source[start..end)</c>. Error columns are 1-based within the whole <paramref name="source"/>;
    /// the expression's <see cref="Text"/> is the range (trimmed when <paramref name="trimText"/>, as templates want)
    /// and its reference columns are within that text.
    /// </summary>
    internal static bool TryParse(string source, int start, int end, bool trimText, [NotNullWhen(true)] out Expression? expression, [NotNullWhen(false)] out ExpressionError? error)
    {
        try
        {
            var (root, found, readsClock) = Parser.Parse(source, start, end);
            var textStart = start;
            var textEnd = end;
            while (trimText && textStart < end && char.IsWhiteSpace(source[textStart]))
            {
                textStart++;
            }

            while (trimText && textEnd > textStart && char.IsWhiteSpace(source[textEnd - 1]))
            {
                textEnd--;
            }

            var references = found.Select(r => new ExpressionReference(r.Root, r.Member, r.Offset - textStart + 1)).ToArray();
            expression = new Expression(source[textStart..textEnd], root, references, readsClock || references.Length > 0);
            error = null;
            return true;
        }
        catch (ParseException exception)
        {
            expression = null;
            error = new ExpressionError(exception.Message, exception.Offset + 1, exception.Hint);
            return false;
        }
    }

    /// <summary>Evaluates against a scope.</summary>
    /// <exception cref="ExpressionEvaluationException">Evaluation failed.</exception>
    public Value Evaluate(IExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return _root.Evaluate(new EvalContext(scope, Text));
    }

    /// <summary>The expression re-printed from its syntax tree with only the parentheses precedence needs.</summary>
    internal string ToCanonicalString() => ExpressionPrinter.Print(_root);

    /// <summary>The source text.</summary>
    public override string ToString() => Text;
}
