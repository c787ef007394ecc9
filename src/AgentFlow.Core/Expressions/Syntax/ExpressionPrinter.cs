using System.Text;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary>
/// Prints a syntax tree back as source with minimal parentheses. Parsing the output yields an equal tree,
/// which the round-trip property tests rely on.
/// </summary>
internal static class ExpressionPrinter
{
    public static string Print(ExprNode node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, ExprNode node)
    {
        switch (node)
        {
            case LiteralNode literal:
                WriteLiteral(builder, literal.Value);
                break;
            case RootNode root:
                builder.Append(root.Name);
                break;
            case NodeReferenceNode { Id: { } id } when IsIdentifier(id):
                builder.Append("nodes.").Append(id);
                break;
            case NodeReferenceNode reference:
                builder.Append("nodes[");
                Write(builder, reference.Key ?? new LiteralNode(reference.Id));
                builder.Append(']');
                break;
            case MemberNode member when IsIdentifier(member.Name):
                WriteOperand(builder, member.Target, Precedence.Postfix);
                builder.Append('.').Append(member.Name);
                break;
            case MemberNode member:
                WriteOperand(builder, member.Target, Precedence.Postfix);
                builder.Append('[');
                WriteString(builder, member.Name);
                builder.Append(']');
                break;
            case IndexNode index:
                WriteOperand(builder, index.Target, Precedence.Postfix);
                builder.Append('[');
                Write(builder, index.Index);
                builder.Append(']');
                break;
            case UnaryNode unary:
                builder.Append(unary.Symbol);
                WriteOperand(builder, unary.Operand, Precedence.Unary);
                break;
            case BinaryNode binary:
                WriteInfix(builder, binary.Left, binary.Symbol, binary.Right, binary.Precedence);
                break;
            case LogicalNode logical:
                WriteInfix(builder, logical.Left, logical.Symbol, logical.Right, logical.Precedence);
                break;
            case CoalesceNode coalesce:
                WriteInfix(builder, coalesce.Left, "??", coalesce.Right, coalesce.Precedence);
                break;
            case ConditionalNode conditional:
                WriteOperand(builder, conditional.Condition, Precedence.Conditional + 1);
                builder.Append(" ? ");
                Write(builder, conditional.WhenTrue);
                builder.Append(" : ");
                Write(builder, conditional.WhenFalse);
                break;
            case CallNode call:
                builder.Append(call.Function.Name).Append('(');
                WriteList(builder, call.Arguments);
                builder.Append(')');
                break;
            case ArrayNode array:
                builder.Append('[');
                WriteList(builder, array.Items);
                builder.Append(']');
                break;
            case ObjectNode obj:
                builder.Append('{');
                for (var i = 0; i < obj.Names.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ");
                    if (IsIdentifier(obj.Names[i]) && !IsKeyword(obj.Names[i]))
                    {
                        builder.Append(obj.Names[i]);
                    }
                    else
                    {
                        WriteString(builder, obj.Names[i]);
                    }

                    builder.Append(": ");
                    Write(builder, obj.Values[i]);
                }

                builder.Append('}');
                break;
            default:
                throw new InvalidOperationException($"Unknown syntax node {node.GetType().Name}.");
        }
    }

    /// <summary>Left-associative: the right operand needs parentheses at equal precedence, the left does not.</summary>
    private static void WriteInfix(StringBuilder builder, ExprNode left, string symbol, ExprNode right, int precedence)
    {
        WriteOperand(builder, left, precedence);
        builder.Append(' ').Append(symbol).Append(' ');
        WriteOperand(builder, right, precedence + 1);
    }

    private static void WriteOperand(StringBuilder builder, ExprNode operand, int minPrecedence)
    {
        if (operand.Precedence >= minPrecedence)
        {
            Write(builder, operand);
            return;
        }

        builder.Append('(');
        Write(builder, operand);
        builder.Append(')');
    }

    private static void WriteList(StringBuilder builder, IReadOnlyList<ExprNode> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            builder.Append(i == 0 ? string.Empty : ", ");
            Write(builder, items[i]);
        }
    }

    private static void WriteLiteral(StringBuilder builder, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.String:
                WriteString(builder, value.AsString());
                break;
            default:
                // Literals are only ever null, booleans, non-negative finite numbers and strings, all of which print as JSON does.
                builder.Append(value.ToString());
                break;
        }
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('\'');
        foreach (var c in text)
        {
            switch (c)
            {
                case '\'': builder.Append("\\'"); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('\'');
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool IsKeyword(string name) => name is "null" or "true" or "false";
}
