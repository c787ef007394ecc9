using System.Text.Json;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace AgentFlow.Core.Dsl;

/// <summary>Turns YAML or JSON text into a YAML node tree that keeps every node's position; syntax errors become diagnostics.</summary>
internal static class DocumentParser
{
    private const int MaxNodes = 1_000_000;
    private const int MaxDepth = 200;

    /// <summary>JSON when the file name ends in .json, or (for other names) when the first non-space character is { or [.</summary>
    public static bool IsJson(string text, string? fileName)
    {
        var extension = Path.GetExtension(fileName ?? string.Empty);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var first = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        return first.Length > 0 && first[0] is '{' or '[';
    }

    public static YamlNode? Parse(string text, string? fileName, List<Diagnostic> diagnostics)
    {
        // A byte order mark would otherwise become part of the first key (YAML) or fail the parse (JSON).
        text = text.TrimStart('\uFEFF');
        var json = IsJson(text, fileName);
        if (json)
        {
            if (!CheckJson(text, fileName, diagnostics))
            {
                return null;
            }

            // Valid JSON has no raw tabs inside strings, but YAML rejects tabs where JSON allows them as
            // whitespace; a tab and a space take one column each, so positions are unchanged.
            text = text.Replace('\t', ' ');
        }

        try
        {
            if (TooDeep(text) is { } deep)
            {
                diagnostics.Add(new Diagnostic(DiagnosticCodes.YamlSyntax, $"The document nests deeper than {MaxDepth} levels.", new SourceLocation(fileName, (int)deep.Line, (int)deep.Column), "flatten the structure"));
                return null;
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0)
            {
                diagnostics.Add(new Diagnostic(DiagnosticCodes.NotAMapping, "The document is empty.", new SourceLocation(fileName, 1, 1, "$"), "start with 'id: my-workflow' and a 'nodes:' list"));
                return null;
            }

            if (stream.Documents.Count > 1)
            {
                var second = stream.Documents[1].RootNode;
                diagnostics.Add(new Diagnostic(DiagnosticCodes.YamlSyntax, "A workflow file holds one YAML document; found more than one.", new SourceLocation(fileName, (int)second.Start.Line, (int)second.Start.Column, "$"), "remove the '---' separator or split the file"));
            }

            var root = stream.Documents[0].RootNode;
            var problem = CheckShape(root, 0, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance), new int[1]);
            if (problem is not null)
            {
                diagnostics.Add(new Diagnostic(DiagnosticCodes.YamlSyntax, problem.Value.Message, new SourceLocation(fileName, (int)problem.Value.Node.Start.Line, (int)problem.Value.Node.Start.Column), "remove the recursive or repeated aliases (*name)"));
                return null;
            }

            return root;
        }
        catch (YamlException exception)
        {
            var message = Clean(exception.InnerException?.Message ?? exception.Message);
            var line = Math.Max(1, (int)exception.Start.Line);
            var column = Math.Max(1, (int)exception.Start.Column);
            var tab = message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindIndentationTab(text, line, out line, out column);
            diagnostics.Add(new Diagnostic(
                json ? DiagnosticCodes.JsonSyntax : DiagnosticCodes.YamlSyntax,
                $"Invalid {(json ? "JSON" : "YAML")}: {message}",
                new SourceLocation(fileName, line, column),
                tab ? "YAML indentation must use spaces, not tabs" : ExpressionInFlowHint(text, line, json)));
            return null;
        }
    }

    private static bool CheckJson(string text, string? fileName, List<Diagnostic> diagnostics)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return true;
        }
        catch (JsonException exception)
        {
            var line = (int)(exception.LineNumber ?? 0) + 1;
            var column = CharacterColumn(text, line, (int)(exception.BytePositionInLine ?? 0));
            diagnostics.Add(new Diagnostic(DiagnosticCodes.JsonSyntax, $"Invalid JSON: {Clean(exception.Message)}", new SourceLocation(fileName, line, column)));
            return false;
        }
    }

    // YamlStream builds its tree recursively and overflows the stack on absurd nesting; the event parser does not.
    private static Mark? TooDeep(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            if (parser.Current is SequenceStart or MappingStart && ++depth > MaxDepth)
            {
                return parser.Current.Start;
            }

            if (parser.Current is SequenceEnd or MappingEnd)
            {
                depth--;
            }
        }

        return null;
    }

    // Aliases make the node tree a graph: an alias inside its own anchor is a cycle, and nested aliases can expand
    // exponentially ("billion laughs"). Both would sink every later tree walk, so they are rejected up front.
    private static (string Message, YamlNode Node)? CheckShape(YamlNode node, int depth, HashSet<YamlNode> path, int[] visited)
    {
        if (++visited[0] > MaxNodes)
        {
            return ($"The document expands to more than {MaxNodes} values (through aliases).", node);
        }

        if (depth > MaxDepth)
        {
            return ($"The document nests deeper than {MaxDepth} levels.", node);
        }

        IEnumerable<YamlNode> children = node switch
        {
            YamlMappingNode mapping => mapping.Children.SelectMany(c => new[] { c.Key, c.Value }),
            YamlSequenceNode sequence => sequence.Children,
            _ => [],
        };
        if (!path.Add(node))
        {
            return ("An alias refers to a node that contains it (a recursive alias).", node);
        }

        foreach (var child in children)
        {
            if (CheckShape(child, depth + 1, path, visited) is { } problem)
            {
                return problem;
            }
        }

        path.Remove(node);
        return null;
    }

    // System.Text.Json counts UTF-8 bytes within the line; editors count characters.
    private static int CharacterColumn(string text, int line, int bytes)
    {
        var lines = text.Split('\n');
        if (line > lines.Length)
        {
            return bytes + 1;
        }

        var utf8 = System.Text.Encoding.UTF8.GetBytes(lines[line - 1]);
        return System.Text.Encoding.UTF8.GetCharCount(utf8, 0, Math.Min(bytes, utf8.Length)) + 1;
    }

    // An unquoted ${{ }} inside { } or [ ] is the commonest YAML mistake in workflow files: braces are flow syntax there.
    private static string? ExpressionInFlowHint(string text, int line, bool json)
    {
        var lines = text.Split('\n');
        return !json && line <= lines.Length && lines[line - 1].Contains("${{", StringComparison.Ordinal)
            ? "inside { } or [ ], quote values that contain ${{ }}: x: \"${{ inputs.x }}\""
            : null;
    }

    // YamlDotNet reports a tab in indentation at the start of the enclosing mapping; point at the tab itself.
    private static bool FindIndentationTab(string text, int fromLine, out int line, out int column)
    {
        var lines = text.Split('\n');
        for (var i = fromLine - 1; i < lines.Length; i++)
        {
            var indentation = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indentation)
            {
                (line, column) = (i + 1, tab + 1);
                return true;
            }
        }

        (line, column) = (fromLine, 1);
        return false;
    }

    // Both parsers append their own position to the message; ours is in the location already.
    private static string Clean(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        }

        message = cut > 0 ? message[..cut] : message;
        if (message.StartsWith('(') && message.Contains("): ", StringComparison.Ordinal))
        {
            message = message[(message.IndexOf("): ", StringComparison.Ordinal) + 3)..];
        }

        return message.Trim();
    }
}
