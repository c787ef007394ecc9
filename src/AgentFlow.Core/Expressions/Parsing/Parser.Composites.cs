using AgentFlow.Core.Expressions.Functions;
using AgentFlow.Core.Expressions.Syntax;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Parsing;

/// <content>Identifiers (keywords, roots, <c>nodes.ID</c>, function calls) and array/object literals.</content>
internal sealed partial class Parser
{
    private ExprNode ParseIdentifier()
    {
        var token = Advance();
        var name = token.Text!;
        switch (name)
        {
            case "null":
                return new LiteralNode(Value.Null);
            case "true":
                return new LiteralNode(Value.True);
            case "false":
                return new LiteralNode(Value.False);
        }

        if (Current.Kind == TokenKind.LeftParen)
        {
            return ParseCall(token);
        }

        if (name == NodesRoot)
        {
            return ParseNodeReference(token);
        }

        _references.Add((name, PeekStaticMember(), token.Start));
        return new RootNode(name);
    }

    /// <summary>The name in a following <c>.name</c> or <c>['name']</c>, for <see cref="ExpressionReference.Member"/>.</summary>
    private string? PeekStaticMember()
    {
        if (Current.Kind == TokenKind.Dot && Next.Kind == TokenKind.Identifier)
        {
            return Next.Text;
        }

        if (Current.Kind == TokenKind.LeftBracket && Next.Kind == TokenKind.String
            && _tokens[Math.Min(_position + 2, _tokens.Count - 1)].Kind == TokenKind.RightBracket)
        {
            return Next.Text;
        }

        return null;
    }

    private NodeReferenceNode ParseNodeReference(Token root)
    {
        var member = PeekStaticMember();
        _references.Add((NodesRoot, member, root.Start));
        if (Current.Kind == TokenKind.Dot)
        {
            Advance();
            return new NodeReferenceNode(Expect(TokenKind.Identifier, "a node id after 'nodes.'").Text!);
        }

        if (Current.Kind != TokenKind.LeftBracket)
        {
            throw Unexpected("'.' or '[' after 'nodes'", "Name a node, e.g. nodes.fetch.output.");
        }

        Advance();
        var key = ParseExpression(Precedence.Conditional);
        Expect(TokenKind.RightBracket, "']'");
        return member is not null ? new NodeReferenceNode(member) : new NodeReferenceNode(key);
    }

    private CallNode ParseCall(Token name)
    {
        if (!FunctionTable.TryGet(name.Text!, out var function))
        {
            throw new ParseException($"Unknown function '{name.Text}'", name.Start, FunctionTable.Suggest(name.Text!));
        }

        Advance();
        var arguments = ParseList(TokenKind.RightParen, "')'", () => ParseExpression(Precedence.Conditional));
        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
        {
            var expected = function.MinArguments == function.MaxArguments
                ? $"{function.MinArguments}"
                : function.MaxArguments == int.MaxValue ? $"at least {function.MinArguments}" : $"{function.MinArguments} to {function.MaxArguments}";
            throw new ParseException($"Function {function.Signature} takes {expected} argument(s) but got {arguments.Count}", name.Start);
        }

        _readsClock |= function.ReadsScope;
        return new CallNode(function, [.. arguments]);
    }

    private ArrayNode ParseArray()
    {
        Advance();
        var items = ParseList(TokenKind.RightBracket, "']'", () => ParseExpression(Precedence.Conditional));
        return new ArrayNode([.. items]);
    }

    private ObjectNode ParseObject()
    {
        Advance();
        var names = new List<string>();
        var values = ParseList(TokenKind.RightBrace, "'}'", () =>
        {
            var key = Current;
            if (key.Kind is not (TokenKind.Identifier or TokenKind.String))
            {
                throw Unexpected("a property name");
            }

            if (names.Contains(key.Text!, StringComparer.Ordinal))
            {
                throw new ParseException($"Duplicate property '{key.Text}' in object literal", key.Start);
            }

            Advance();
            names.Add(key.Text!);
            Expect(TokenKind.Colon, "':' after the property name");
            return ParseExpression(Precedence.Conditional);
        });
        return new ObjectNode([.. names], [.. values]);
    }

    /// <summary>Comma-separated items up to <paramref name="close"/>; the opening token is already consumed.</summary>
    private List<ExprNode> ParseList(TokenKind close, string closeText, Func<ExprNode> parseItem)
    {
        var items = new List<ExprNode>();
        if (Current.Kind == close)
        {
            Advance();
            return items;
        }

        Enter();
        while (true)
        {
            items.Add(parseItem());
            if (Current.Kind == TokenKind.Comma)
            {
                Advance();
                continue;
            }

            if (Current.Kind != close)
            {
                throw Unexpected($"',' or {closeText}");
            }

            Advance();
            _depth--;
            return items;
        }
    }
}
