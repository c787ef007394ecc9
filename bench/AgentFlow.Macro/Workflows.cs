using AgentFlow.Core.Definitions;
using AgentFlow.Core.Dsl;
using AgentFlow.Core.Persistence;
using AgentFlow.Runtime;

namespace AgentFlow.Macro;

/// <summary>The workflows the scenarios run, as YAML so a host can save and reload them.</summary>
internal static class Workflows
{
    /// <summary>A chain of <paramref name="nodes"/> engine-local nodes, alternating noop and transform.</summary>
    public static string Chain(int nodes)
    {
        var text = new System.Text.StringBuilder($"id: chain{nodes}\nnodes:\n");
        for (var i = 1; i <= nodes; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - id: n{i}\n");
            text.Append(i % 2 == 1 ? "    kind: noop\n" : "    kind: transform\n    with: { step: " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + " }\n");
            if (i > 1)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"    needs: n{i - 1}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Two local nodes, then a wait for the signal <c>go</c>, then two more local nodes.</summary>
    public const string Parked = """
        id: parked
        nodes:
          - id: a
            kind: noop
          - id: b
            kind: transform
            needs: a
            with: { step: 2 }
          - id: w
            kind: wait
            needs: b
            with: { signal: go }
          - id: c
            kind: noop
            needs: w
          - id: d
            kind: transform
            needs: c
            with: { got: "${{ nodes.w.output }}" }
        """;

    public static (WorkflowDefinition Definition, StartOptions Options) Load(string yaml)
    {
        var loaded = WorkflowLoader.Load(yaml, "bench.yaml", StandardNodes.Catalog);
        if (!loaded.Succeeded || loaded.Definition is null)
        {
            throw new InvalidOperationException("bench workflow does not load: " + string.Join("; ", loaded.Diagnostics));
        }

        return (loaded.Definition, new StartOptions { Source = new DefinitionSource(DefinitionFormats.Yaml, yaml) });
    }
}
