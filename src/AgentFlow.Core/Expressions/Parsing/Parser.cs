using AgentFlow.Core.Expressions.Functions;
using AgentFlow.Core.Expressions.Syntax;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Parsing;

/// <summary>
/// Precedence-climbing parser over the token list. Offsets in errors and references are into the whole source,
/// so a template can report columns within its string without translating them.
/// </summary>
internal sealed partial class Parser
{
    private const string NodesRoot = "nodes";
    private readonly string _source;
    private readonly List<Token> _tokens;
    private readonly List<(string Root, string? Member, int Offset)> _references = [];
    private int _position;
    private int _depth;
    private bool _readsClock;

    private Parser(string source, List<Token> tokens)
    {
        _source = source;
        _tokens = tokens;
    }

    /// <summary>Parses <c>source[start..end)</c>; throws <see cref="ParseException"/> on the first error.</summary>
    public static (ExprNode Root, List<(string Root, string? Member, int Offset)> References, bool ReadsClock) Parse(string source, int start, int end)
    {
        if (end - start > ExpressionLimits.MaxTextLength)
        {
            throw new ParseException($"Expression is too long ({end - start} characters; the limit is {ExpressionLimits.MaxTextLength})", start);
        }

        var parser = new Parser(source, Lexer.Tokenize(source, start, end));
        if (parser.Current.Kind == TokenKind.End)
        {
            throw new ParseException("Expected an expression but found nothing", parser.Current.Start);
        }

        var root = parser.ParseExpression(Precedence.Conditional);
        if (parser.Current.Kind != TokenKind.End)
        {
            throw parser.Unexpected("an operator or the end of the expression");
        }

        return (root, parser._references, parser._readsClock);
    }

    private Token Current => _tokens[_position];

    private Token Next => _tokens[Math.Min(_position + 1, _tokens.Count - 1)];

    private Token Advance() => _tokens[_position++];

    private ParseException Unexpected(string expected, string? hint = null) =>
        new($"Unexpected {Current.Describe(_source)}; expected {expected}", Current.Start, hint);

    private Token Expect(TokenKind kind, string expected)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected(expected);
        }

        return Advance();
    }

    private void Enter()
    {
        if (++_depth > ExpressionLimits.MaxDepth)
        {
            throw new ParseException($"Expression is nested too deeply (the limit is {ExpressionLimits.MaxDepth})", Current.Start, "Split it into variables.");
        }
    }

    private ExprNode ParseExpression(int minPrecedence)
    {
        Enter();
        var left = ParseUnary();
        while (true)
        {
            var token = Current;
            if (token.Kind == TokenKind.Question && minPrecedence <= Precedence.Conditional)
            {
                Advance();
                var whenTrue = ParseExpression(Precedence.Conditional);
                Expect(TokenKind.Colon, "':' of the conditional operator");

                // Right-associative: the else branch may itself be a conditional.
                var whenFalse = ParseExpression(Precedence.Conditional);
                left = new ConditionalNode(left, whenTrue, whenFalse);
                continue;
            }

            var precedence = OperatorTable.BinaryPrecedence(token.Kind);
            if (precedence == 0 || precedence < minPrecedence)
            {
                break;
            }

            Advance();
            var right = ParseExpression(precedence + 1);
            left = token.Kind switch
            {
                TokenKind.QuestionQuestion => new CoalesceNode(left, right),
                TokenKind.AmpAmp => new LogicalNode(isAnd: true, left, right),
                TokenKind.PipePipe => new LogicalNode(isAnd: false, left, right),
                _ => new BinaryNode(OperatorTable.BinaryOperatorOf(token.Kind), left, right),
            };
        }

        _depth--;
        return left;
    }

    private ExprNode ParseUnary()
    {
        if (Current.Kind is TokenKind.Bang or TokenKind.Minus)
        {
            var isNot = Advance().Kind == TokenKind.Bang;
            Enter();
            var operand = ParseUnary();
            _depth--;
            return new UnaryNode(isNot, operand);
        }

        return ParsePostfix(ParsePrimary());
    }

    private ExprNode ParsePostfix(ExprNode target)
    {
        while (true)
        {
            if (Current.Kind == TokenKind.Dot)
            {
                Advance();
                var name = Expect(TokenKind.Identifier, "a property name after '.'");
                target = new MemberNode(target, name.Text!);
            }
            else if (Current.Kind == TokenKind.LeftBracket)
            {
                Advance();
                var index = ParseExpression(Precedence.Conditional);
                Expect(TokenKind.RightBracket, "']'");
                target = new IndexNode(target, index);
            }
            else if (Current.Kind == TokenKind.LeftParen)
            {
                throw new ParseException("Only built-in functions can be called", Current.Start, "Call a function by its name, e.g. length(inputs.items).");
            }
            else
            {
                return target;
            }
        }
    }

    private ExprNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new LiteralNode(token.Number);
            case TokenKind.String:
                Advance();
                return new LiteralNode(token.Text);
            case TokenKind.LeftParen:
                Advance();
                var inner = ParseExpression(Precedence.Conditional);
                Expect(TokenKind.RightParen, "')'");
                return inner;
            case TokenKind.LeftBracket:
                return ParseArray();
            case TokenKind.LeftBrace:
                return ParseObject();
            case TokenKind.Identifier:
                return ParseIdentifier();
            default:
                throw Unexpected("an expression");
        }
    }
}
