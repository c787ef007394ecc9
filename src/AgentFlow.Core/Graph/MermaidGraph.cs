using System.Text;
using AgentFlow.Core.Definitions;

namespace AgentFlow.Core.Graph;

/// <summary>Renders a workflow definition as a Mermaid flowchart.</summary>
public static class MermaidGraph
{
    /// <summary>The Mermaid text: one line per node and edge; map and sub-workflow bodies become subgraphs.</summary>
    public static string Render(WorkflowDefinition definition)
    {
        var text = new StringBuilder("flowchart TD\n");
        AppendGraph(text, definition, prefix: string.Empty, indent: "    ");
        return text.ToString();
    }

    private static void AppendGraph(StringBuilder text, WorkflowDefinition graph, string prefix, string indent)
    {
        foreach (var node in graph.Nodes)
        {
            var id = prefix + node.Id;
            var label = Escape(node.Name is null ? $"{node.Id}<br/>{node.Kind}" : $"{node.Name}<br/>{node.Kind}");
            if (node.Body is { } body)
            {
                text.Append(indent).Append("subgraph ").Append(id).Append(" [\"").Append(label).Append("\"]\n");
                text.Append(indent).Append("    direction TB\n");
                AppendGraph(text, body, id + "__", indent + "    ");
                text.Append(indent).Append("end\n");
                continue;
            }

            var (open, close) = Shape(node.Kind);
            text.Append(indent).Append(id).Append(open).Append('"').Append(label).Append('"').Append(close).Append('\n');
        }

        foreach (var edge in graph.Edges)
        {
            text.Append(indent).Append(prefix).Append(edge.From);
            var label = (edge.Branch, edge.When) switch
            {
                (null, null) => null,
                ({ } branch, null) => branch,
                (null, { } when) => "when " + when.Text,
                ({ } branch, { } when) => $"{branch}, when {when.Text}",
            };
            text.Append(label is null ? " --> " : $" -- \"{Escape(label)}\" --> ");
            text.Append(prefix).Append(edge.To).Append('\n');
        }
    }

    private static (string Open, string Close) Shape(string kind) => kind switch
    {
        "condition" or "switch" => ("{", "}"),
        "sleep" or "wait" => ("([", "])"),
        "fail" or "break" or "continue" => ("[[", "]]"),
        _ => ("[", "]"),
    };

    private static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);
}
