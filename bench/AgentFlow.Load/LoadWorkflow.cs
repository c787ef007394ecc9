using System.Globalization;

namespace AgentFlow.Load;

/// <summary>The 10-node workflow the load runs: engine-local noop and transform nodes, two fan-outs and two joins.</summary>
internal static class LoadWorkflow
{
    /// <summary>n1 → (n2 ∥ n3 ∥ n4) → n5 → n6 → (n7 ∥ n8) → n9 → n10.</summary>
    public static string Yaml(string id) => string.Create(CultureInfo.InvariantCulture, $$"""
        id: {{id}}
        nodes:
          - id: n1
            kind: noop
          - id: n2
            kind: transform
            needs: n1
            with: { branch: 2 }
          - id: n3
            kind: transform
            needs: n1
            with: { branch: 3 }
          - id: n4
            kind: noop
            needs: n1
          - id: n5
            kind: noop
            needs: [n2, n3, n4]
          - id: n6
            kind: transform
            needs: n5
            with: { step: 6 }
          - id: n7
            kind: transform
            needs: n6
            with: { branch: 7 }
          - id: n8
            kind: noop
            needs: n6
          - id: n9
            kind: noop
            needs: [n7, n8]
          - id: n10
            kind: transform
            needs: n9
            with: { step: 10 }
        """);
}
