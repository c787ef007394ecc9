using System.Globalization;
using System.Text;

namespace AgentFlow.Core.Expressions.Parsing;

/// <summary>Splits <c>source[start..end)</c> into tokens; offsets stay relative to the whole source so template errors point into it.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string source, int start, int end)
    {
        var tokens = new List<Token>();
        var i = start;
        while (true)
        {
            while (i < end && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            if (i >= end)
            {
                tokens.Add(new Token(TokenKind.End, end, 0));
                return tokens;
            }

            var c = source[i];
            if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(source, i, end));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(ReadString(source, i, end));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var j = i + 1;
                while (j < end && (char.IsAsciiLetterOrDigit(source[j]) || source[j] == '_'))
                {
                    j++;
                }

                tokens.Add(new Token(TokenKind.Identifier, i, j - i, source[i..j]));
            }
            else
            {
                tokens.Add(ReadPunctuation(source, i, end));
            }

            i = tokens[^1].Start + tokens[^1].Length;
        }
    }

    private static Token ReadPunctuation(string source, int i, int end)
    {
        var next = i + 1 < end ? source[i + 1] : '\0';
        (TokenKind Kind, int Length) result = source[i] switch
        {
            '.' => (TokenKind.Dot, 1),
            ',' => (TokenKind.Comma, 1),
            ':' => (TokenKind.Colon, 1),
            '?' when next == '?' => (TokenKind.QuestionQuestion, 2),
            '?' => (TokenKind.Question, 1),
            '(' => (TokenKind.LeftParen, 1),
            ')' => (TokenKind.RightParen, 1),
            '[' => (TokenKind.LeftBracket, 1),
            ']' => (TokenKind.RightBracket, 1),
            '{' => (TokenKind.LeftBrace, 1),
            '}' => (TokenKind.RightBrace, 1),
            '+' => (TokenKind.Plus, 1),
            '-' => (TokenKind.Minus, 1),
            '*' => (TokenKind.Star, 1),
            '/' => (TokenKind.Slash, 1),
            '%' => (TokenKind.Percent, 1),
            '!' when next == '=' => (TokenKind.BangEqual, 2),
            '!' => (TokenKind.Bang, 1),
            '=' when next == '=' => (TokenKind.EqualEqual, 2),
            '<' when next == '=' => (TokenKind.LessEqual, 2),
            '<' => (TokenKind.Less, 1),
            '>' when next == '=' => (TokenKind.GreaterEqual, 2),
            '>' => (TokenKind.Greater, 1),
            '&' when next == '&' => (TokenKind.AmpAmp, 2),
            '|' when next == '|' => (TokenKind.PipePipe, 2),
            _ => (TokenKind.End, 0),
        };

        if (result.Length == 0)
        {
            var hint = source[i] switch
            {
                '=' => "Use '==' to compare; expressions cannot assign.",
                '&' => "Use '&&' for logical and.",
                '|' => "Use '||' for logical or.",
                '`' => "Strings are quoted with ' or \".",
                _ => null,
            };
            throw new ParseException($"Unexpected character '{source[i]}'", i, hint);
        }

        return new Token(result.Kind, i, result.Length);
    }

    private static Token ReadNumber(string source, int start, int end)
    {
        var i = start;
        while (i < end && char.IsAsciiDigit(source[i]))
        {
            i++;
        }

        // "1.x" is the number 1 followed by a member access, so a dot only starts a fraction when a digit follows it.
        if (i + 1 < end && source[i] == '.' && char.IsAsciiDigit(source[i + 1]))
        {
            i += 2;
            while (i < end && char.IsAsciiDigit(source[i]))
            {
                i++;
            }
        }

        if (i < end && source[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < end && source[j] is '+' or '-')
            {
                j++;
            }

            if (j >= end || !char.IsAsciiDigit(source[j]))
            {
                throw new ParseException("Malformed number: the exponent has no digits", start);
            }

            while (j < end && char.IsAsciiDigit(source[j]))
            {
                j++;
            }

            i = j;
        }

        if (i < end && (char.IsAsciiLetter(source[i]) || source[i] == '_'))
        {
            throw new ParseException($"Malformed number: unexpected '{source[i]}' after digits", i);
        }

        var number = double.Parse(source.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number))
        {
            throw new ParseException("Number is out of range", start);
        }

        return new Token(TokenKind.Number, start, i - start, null, number);
    }

    private static Token ReadString(string source, int start, int end)
    {
        var quote = source[start];
        var builder = new StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (i >= end)
            {
                throw new ParseException("Unterminated string", start, $"Close the string with {quote}.");
            }

            var c = source[i];
            if (c == quote)
            {
                return new Token(TokenKind.String, start, i + 1 - start, builder.ToString());
            }

            if (c != '\\')
            {
                builder.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= end)
            {
                throw new ParseException("Unterminated string", start, $"Close the string with {quote}.");
            }

            var escape = source[i + 1];
            switch (escape)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case '0': builder.Append('\0'); break;
                case '\\' or '\'' or '"' or '/': builder.Append(escape); break;
                case 'u':
                    if (i + 6 > end || !ushort.TryParse(source.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new ParseException("Malformed \\u escape: expected four hex digits", i);
                    }

                    builder.Append((char)code);
                    i += 4;
                    break;
                default:
                    throw new ParseException($"Unknown escape '\\{escape}'", i, "Valid escapes: \\n \\t \\r \\b \\f \\0 \\\\ \\' \\\" \\/ \\uXXXX.");
            }

            i += 2;
        }
    }
}
