using System.Globalization;
using System.Text;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Dsl;

/// <summary>
/// A canonical text form of a definition, for comparing definitions loaded from different syntaxes. Templates are
/// shown by evaluating them against a fixed scope, since templates have no public printer.
/// </summary>
internal static class DefinitionDump
{
    public static string Dump(WorkflowDefinition workflow)
    {
        var sb = new StringBuilder();
        Write(sb, workflow, string.Empty);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, WorkflowDefinition w, string indent)
    {
        Line(sb, indent, $"workflow {w.Id} name={w.Name} v{w.Version} timeout={w.Timeout} desc={w.Description}");
        foreach (var i in w.Inputs)
        {
            Line(sb, indent, $"  input {i.Name} {i.Type} req={i.Required} default={i.Default?.ToJson()} enum=[{string.Join(",", i.AllowedValues.Select(v => v.ToJson()))}] secret={i.Secret} desc={i.Description}");
        }

        foreach (var v in w.Variables)
        {
            Line(sb, indent, $"  var {v.Name}={v.Initial.ToJson()}");
        }

        foreach (var n in w.Nodes)
        {
            var r = n.Retry;
            Line(sb, indent, $"  node {n.Id} kind={n.Kind} name={n.Name} join={n.Join} timeout={n.Timeout} onError={n.OnError} conc={n.Concurrency} wf={n.WorkflowRef}");
            Line(sb, indent, $"    with={Eval(n.Parameters)} fallback={Eval(n.Fallback)} items={Eval(n.Items)}");
            Line(sb, indent, $"    retry={r.MaxAttempts},{r.Backoff},{r.Delay},{r.Multiplier.ToString(CultureInfo.InvariantCulture)},{r.MaxDelay},{r.Jitter.ToString(CultureInfo.InvariantCulture)},[{string.Join(",", r.RetryOn)}]");
            foreach (var b in n.Branches)
            {
                Line(sb, indent, $"    branch {b.Name} when={b.When?.Text.Trim()}");
            }

            if (n.Body is not null)
            {
                Write(sb, n.Body, indent + "    ");
            }
        }

        foreach (var e in w.Edges)
        {
            Line(sb, indent, $"  edge {e.From}.{e.Branch} -> {e.To} when={e.When?.Text.Trim()}");
        }

        foreach (var o in w.Outputs)
        {
            Line(sb, indent, $"  output {o.Name}={Eval(o.Value)}");
        }

        foreach (var (_, child) in w.Workflows.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Write(sb, child, indent + "  ");
        }
    }

    private static void Line(StringBuilder sb, string indent, string text) => sb.Append(indent).Append(text).Append('\n');

    private static string Eval(ValueTemplate? template)
    {
        if (template is null)
        {
            return "-";
        }

        try
        {
            return template.Evaluate(new FixedScope()).ToJson();
        }
        catch (ExpressionEvaluationException exception)
        {
            return "error: " + exception.Message;
        }
    }

    private sealed class FixedScope : IExpressionScope
    {
        public TimeProvider Time => TimeProvider.System;

        public bool TryGetRoot(string name, out Value value)
        {
            value = name switch
            {
                "inputs" => Value.Object(("orderId", "O-1"), ("priority", "high")),
                "vars" => Value.Object(("counter", 3)),
                "item" => Value.Object(("id", 7)),
                "index" => 2,
                _ => Value.Null,
            };
            return !value.IsNull;
        }

        public bool TryGetNode(string nodeId, out Value node)
        {
            node = Value.Object(("output", Value.Object(("total", 150), ("items", Value.Array(1, 2)), ("ok", true), ("id", nodeId))));
            return true;
        }
    }
}
