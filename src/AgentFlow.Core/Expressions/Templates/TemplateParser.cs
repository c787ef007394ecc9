using System.Diagnostics.CodeAnalysis;
using System.Text;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Templates;

/// <summary>Splits a string into literal text and <c>${{ expr }}</c> parts and compiles it into the cheapest template.</summary>
internal static class TemplateParser
{
    private const string Open = "${{";
    private const string EscapedOpen = "$${{";

    public static bool TryParse(string text, [NotNullWhen(true)] out ValueTemplate? template, [NotNullWhen(false)] out ExpressionError? error)
    {
        template = null;
        error = null;
        if (!text.Contains(Open, StringComparison.Ordinal))
        {
            template = new ConstantTemplate(text);
            return true;
        }

        var parts = new List<(string? Text, Expression? Expression)>();
        var references = new List<ExpressionReference>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, EscapedOpen, 0, EscapedOpen.Length) == 0)
            {
                literal.Append(Open);
                i += EscapedOpen.Length;
                continue;
            }

            if (string.CompareOrdinal(text, i, Open, 0, Open.Length) != 0)
            {
                literal.Append(text[i]);
                i++;
                continue;
            }

            var start = i + Open.Length;
            var close = FindClose(text, i, out var closeError);
            if (closeError is not null)
            {
                error = closeError;
                return false;
            }

            if (!Expression.TryParse(text, start, close, trimText: true, out var expression, out error))
            {
                return false;
            }

            var textStart = start;
            while (char.IsWhiteSpace(text[textStart]))
            {
                textStart++;
            }

            // Expression reference columns are within its own text; shift them to be within the whole string.
            references.AddRange(expression.References.Select(r => r with { Column = r.Column + textStart }));
            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), null));
                literal.Clear();
            }

            parts.Add((null, expression));
            i = close + 2;
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), null));
        }

        template = Build(parts, references);
        return true;
    }

    private static ValueTemplate Build(List<(string? Text, Expression? Expression)> parts, List<ExpressionReference> references)
    {
        if (parts.Count == 1 && parts[0].Expression is { } whole)
        {
            return TryFold(whole, out var value) ? new ConstantTemplate(value) : new ExpressionTemplate(whole, [.. references]);
        }

        var folded = new List<(string? Text, Expression? Expression)>(parts.Count);
        foreach (var part in parts)
        {
            var piece = part.Expression is { } expression && TryFold(expression, out var value)
                ? (Functions.ValueText.Stringify(value), null)
                : part;

            // Adjacent literal pieces merge so evaluation appends fewer parts.
            if (piece.Text is not null && folded.Count > 0 && folded[^1].Text is { } previous)
            {
                folded[^1] = (previous + piece.Text, null);
            }
            else
            {
                folded.Add(piece);
            }
        }

        if (folded.Count == 1 && folded[0].Text is { } constant)
        {
            return new ConstantTemplate(constant);
        }

        return new InterpolatedTemplate([.. folded], [.. references]);
    }

    /// <summary>Evaluates an expression that reads nothing from the scope once, at compile time.</summary>
    private static bool TryFold(Expression expression, out Value value)
    {
        value = Value.Null;
        if (expression.ReadsScope)
        {
            return false;
        }

        try
        {
            value = expression.Evaluate(NoScope.Instance);
            return true;
        }
        catch (ExpressionEvaluationException)
        {
            // Leave it to fail at run time, where the error is attributed to the node that uses it.
            return false;
        }
    }

    /// <summary>The index of the closing <c>}}</c> of the <c>${{</c> at <paramref name="open"/>, skipping strings and nested braces; -1 with an error if none.</summary>
    private static int FindClose(string text, int open, out ExpressionError? error)
    {
        error = null;
        var depth = 0;
        for (var j = open + Open.Length; j < text.Length; j++)
        {
            var c = text[j];
            if (c is '\'' or '"')
            {
                var quote = j;
                for (j++; j < text.Length && text[j] != c; j++)
                {
                    if (text[j] == '\\')
                    {
                        j++;
                    }
                }

                if (j >= text.Length)
                {
                    error = new ExpressionError("Unterminated string", quote + 1, $"Close the string with {c}.");
                    return -1;
                }
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                if (depth == 0 && j + 1 < text.Length && text[j + 1] == '}')
                {
                    return j;
                }

                depth = Math.Max(0, depth - 1);
            }
        }

        error = new ExpressionError("Unterminated '${{': expected '}}'", open + 1, "Close the expression with }}, or write $${{ for a literal ${{.");
        return -1;
    }

    /// <summary>The scope used for compile-time folding; it is never consulted because only scope-free expressions are folded.</summary>
    private sealed class NoScope : IExpressionScope
    {
        public static NoScope Instance { get; } = new();

        public TimeProvider Time => throw new InvalidOperationException("A scope-free expression read the clock.");

        public bool TryGetRoot(string name, out Value value)
        {
            value = Value.Null;
            return false;
        }

        public bool TryGetNode(string nodeId, out Value node)
        {
            node = Value.Null;
            return false;
        }
    }
}
