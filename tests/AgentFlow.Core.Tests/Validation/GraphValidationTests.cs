using AgentFlow.Core.Tests.Dsl;

namespace AgentFlow.Core.Tests.Validation;

/// <summary>Graph problems found by the validator, positioned through the loader.</summary>
public sealed class GraphValidationTests
{
    [Fact]
    public void Validate_UnknownKind_SuggestsClosest()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: htpp
            """);

        var d = DslAssert.Has(result, "AF1103", 4, 11);
        Assert.Equal("did you mean 'http'?", d.Hint);
        Assert.Contains("'a'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateId_PointsAtSecondAndNamesFirstLine()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: noop
              - id: a
                kind: noop
            """);

        var d = DslAssert.Has(result, "AF1102", 5, 9);
        Assert.Contains("line 3", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidIds_AreReported()
    {
        var result = DslAssert.Load("""
            id: 9w
            inputs: { my-input: string }
            nodes:
              - id: my-node
                kind: noop
            """);

        DslAssert.Has(result, "AF1101", 1, 5);
        DslAssert.Has(result, "AF1101", 2, 11);
        DslAssert.Has(result, "AF1101", 4, 9);
    }

    [Fact]
    public void Validate_DanglingNeedsAndEdges_AreReported()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: fetch
                kind: noop
              - id: b
                kind: noop
                needs: [fetch, fetc]
            edges:
              - { from: b, to: nowhere }
            """);

        Assert.Equal("did you mean 'fetch'?", DslAssert.Has(result, "AF1104", 7, 20).Hint);
        DslAssert.Has(result, "AF1104", 9, 5);
    }

    [Fact]
    public void Validate_UnknownBranch_ListsBranches()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: route, kind: condition, if: "true" }
              - { id: a, kind: noop, needs: route.yes }
              - { id: b, kind: noop, needs: a.true }
            """);

        var d = DslAssert.Has(result, "AF1105", 4, 33);
        Assert.Contains("true, false", d.Message, StringComparison.Ordinal);
        Assert.Contains("has no branches", DslAssert.Has(result, "AF1105", 5, 33).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Cycle_NamesNodesInOrder()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: a, kind: noop, needs: c }
              - { id: b, kind: noop, needs: a }
              - { id: c, kind: noop, needs: b }
            """);

        var d = Assert.Single(result.Diagnostics, d => d.Code == "AF1106");
        Assert.Equal("Cycle: a -> b -> c -> a.", d.Message);
        Assert.Equal((3, 33), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Validate_SelfLoop_IsCycle()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: a, kind: noop, needs: a }
            """);

        Assert.Equal("Cycle: a -> a.", DslAssert.Has(result, "AF1106", 3, 33).Message);
    }

    [Fact]
    public void Validate_ConstantFalseEdge_WarnsUnreachableButSucceeds()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: a, kind: noop }
              - { id: b, kind: noop }
              - { id: c, kind: noop, needs: b }
            edges:
              - { from: a, to: b, when: "false" }
            """);

        var d = DslAssert.Has(result, "AF1107", 4, 11);
        Assert.Equal(Core.Diagnostics.DiagnosticSeverity.Warning, d.Severity);
        DslAssert.Has(result, "AF1107", 5, 11);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_BranchOfConstantCondition_WarnsUnreachable()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: r, kind: condition, if: "${{ 1 > 2 }}" }
              - { id: t, kind: noop, needs: r.true }
              - { id: f, kind: noop, needs: r.false }
            """);

        DslAssert.Has(result, "AF1107", 4, 11);
        Assert.DoesNotContain(result.Diagnostics, d => d.Location.Line == 5);
    }

    [Fact]
    public void Validate_DuplicateCaseNames_AreReported()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: s
                kind: switch
                cases:
                  - { name: x, when: "true" }
                  - { name: x, when: "false" }
            """);

        DslAssert.Has(result, "AF1108", 7, 9);
    }
}
