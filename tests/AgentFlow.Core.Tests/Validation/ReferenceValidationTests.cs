using AgentFlow.Core.Tests.Dsl;

namespace AgentFlow.Core.Tests.Validation;

/// <summary>Expression references, positioned at the root name inside the scalar.</summary>
public sealed class ReferenceValidationTests
{
    [Fact]
    public void Validate_UnknownInput_PointsAtReferenceInQuotedScalar()
    {
        var result = DslAssert.Load("""
            id: w
            inputs: { orderId: string }
            nodes:
              - id: a
                kind: transform
                with: "${{ inputs.orderid }}"
            """);

        var d = DslAssert.Has(result, "AF1202", 6, 16);
        Assert.Equal("did you mean 'orderId'?", d.Hint);
    }

    [Fact]
    public void Validate_UnknownVariableAndRoot_AreReported()
    {
        var result = DslAssert.Load("""
            id: w
            variables: { counter: 0 }
            nodes:
              - id: a
                kind: transform
                with: { x: "n=${{ vars.count }}", y: "${{ imputs.x }}" }
            """);

        Assert.Equal("did you mean 'counter'?", DslAssert.Has(result, "AF1203", 6, 23).Hint);
        Assert.Equal("did you mean 'inputs'?", DslAssert.Has(result, "AF1201", 6, 47).Hint);
    }

    [Fact]
    public void Validate_UnknownNodeAndNonAncestor_AreDistinguished()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: noop
              - id: b
                kind: transform
                with: ${{ nodes.a.output }}
              - id: c
                kind: condition
                needs: a
                if: ${{ nodes.ghost.output }}
            """);

        var notAncestor = DslAssert.Has(result, "AF1205", 7, 15);
        Assert.Equal("add 'needs: [a]' so it runs first", notAncestor.Hint);
        DslAssert.Has(result, "AF1204", 11, 13);
    }

    [Fact]
    public void Validate_BareCondition_PointsAtReference()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: c
                kind: condition
                if: inputs.flag && vars.x
            """);

        DslAssert.Has(result, "AF1202", 5, 9);
        DslAssert.Has(result, "AF1203", 5, 24);
    }

    [Fact]
    public void Validate_ItemOutsideMap_IsUnknownRoot()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: a, kind: transform, with: "${{ item.id }}" }
            """);

        Assert.Contains("only inside a map body", DslAssert.Has(result, "AF1201", 3, 42).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MapBody_SeesItemIndexAndMapAncestorsOnly()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: fetch, kind: noop }
              - { id: other, kind: noop }
              - id: each
                kind: map
                needs: fetch
                items: ${{ nodes.fetch.output }}
                body:
                  nodes:
                    - id: inner
                      kind: transform
                      with: "${{ [item, index, nodes.fetch.output] }}"
                    - id: late
                      kind: transform
                      with: "${{ nodes.other.output }}"
                    - id: self
                      kind: transform
                      with: "${{ nodes.each.output }}"
                  outputs: { r: "${{ nodes.inner.output }}" }
            outputs:
              all: ${{ nodes.each.output }}
            """);

        var codes = result.Diagnostics.Select(d => $"{d.Code}@{d.Location.Line}:{d.Location.Column}").ToList();
        Assert.Equal(["AF1205@16:22", "AF1205@19:22"], codes);
    }

    [Fact]
    public void Validate_EdgeWhen_MaySeeSourceNode()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: a, kind: noop }
              - { id: b, kind: noop }
              - { id: c, kind: noop }
            edges:
              - { from: a, to: b, when: "nodes.a.output.ok" }
              - { from: b, to: c, when: "${{ nodes.c.output }}" }
            """);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("AF1205", 8, 34), (d.Code, d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Validate_ChildWorkflow_UsesOwnInputsWithPathsIntoIt()
    {
        var result = DslAssert.Load("""
            id: w
            inputs: { parentOnly: string }
            nodes:
              - { id: call, kind: subworkflow, workflow: child }
            workflows:
              child:
                nodes:
                  - { id: x, kind: transform, with: "${{ inputs.parentOnly }}" }
            """);

        var d = DslAssert.Has(result, "AF1202", 8, 46);
        Assert.Equal("$.workflows.child.nodes[0].with", d.Location.Path);
    }
}
