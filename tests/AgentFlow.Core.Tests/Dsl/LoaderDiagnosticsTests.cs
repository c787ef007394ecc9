namespace AgentFlow.Core.Tests.Dsl;

/// <summary>Shape problems the loader reports, each at its exact line:column.</summary>
public sealed class LoaderDiagnosticsTests
{
    [Fact]
    public void Load_UnknownTopLevelKey_SuggestsClosest()
    {
        var result = DslAssert.Load("""
            id: w
            nodez: []
            """);

        var d = DslAssert.Has(result, "AF1010", 2, 1);
        Assert.Equal("did you mean 'nodes'?", d.Hint);
        Assert.Equal("$.nodez", d.Location.Path);
        Assert.Equal("wf.yaml", d.Location.File);
        DslAssert.Has(result, "AF1012", 1, 1);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Load_UnknownNodeKey_SuggestsClosest()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: noop
                retyr: 3
            """);

        Assert.Equal("did you mean 'retry'?", DslAssert.Has(result, "AF1010", 5, 5).Hint);
    }

    [Fact]
    public void Load_UnknownRetryKey_PointsAtKeyInFlowMapping()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: noop
                retry: { maxAttempt: 3 }
            """);

        var d = DslAssert.Has(result, "AF1010", 5, 14);
        Assert.Equal("did you mean 'maxAttempts'?", d.Hint);
        Assert.Equal("$.nodes[0].retry.maxAttempt", d.Location.Path);
    }

    [Fact]
    public void Load_WrongValueType_PointsAtValue()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: m
                kind: map
                items: [1]
                concurrency: x
                body: { nodes: [ { id: t, kind: noop } ] }
            """);

        var d = DslAssert.Has(result, "AF1011", 6, 18);
        Assert.Equal("$.nodes[0].concurrency", d.Location.Path);
    }

    [Fact]
    public void Load_MissingIdAndKind_PointAtNode()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - kind: noop
              - id: b
            """);

        DslAssert.Has(result, "AF1012", 3, 5);
        Assert.Contains("'b' has no 'kind'", DslAssert.Has(result, "AF1012", 4, 5).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadDuration_PointsAtValue()
    {
        var result = DslAssert.Load("""
            id: w
            timeout: 5 minutes
            nodes: [ { id: a, kind: noop, timeout: 10x } ]
            """);

        DslAssert.Has(result, "AF1013", 2, 10);
        DslAssert.Has(result, "AF1013", 3, 40);
    }

    [Fact]
    public void Load_BadKeyword_SuggestsValidOne()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: noop
                onError: contine
            """);

        Assert.Equal("did you mean 'continue'?", DslAssert.Has(result, "AF1014", 5, 14).Hint);
    }

    [Fact]
    public void Load_ControlKeyOnWrongKind_IsReported()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: noop
                if: "true"
            """);

        DslAssert.Has(result, "AF1015", 5, 5);
    }

    [Fact]
    public void Load_ExpressionSyntaxError_PointsInsideQuotedScalar()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: transform
                with: { x: "id ${{ 1 + }}" }
            """);

        var d = Assert.Single(result.Diagnostics, d => d.Code == "AF1016");
        Assert.Equal(5, d.Location.Line);
        // The scalar's quote is at column 16; the error is inside the ${{ }} (which starts at column 20).
        Assert.InRange(d.Location.Column, 21, 29);
    }

    [Fact]
    public void Load_ConditionSyntaxError_PointsInsideBareExpression()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: condition
                if: 1 +* 2
            """);

        var d = Assert.Single(result.Diagnostics, d => d.Code == "AF1016");
        Assert.Equal((5, 12), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Load_WrappedConditionSyntaxError_PointsAtBadToken()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: condition
                if: ${{ 1 +* 2 }}
              - id: b
                kind: transform
                with: { x: "ab ${{ 1 +* 2 }}" }
            """);

        DslAssert.Has(result, "AF1016", 5, 16);
        DslAssert.Has(result, "AF1016", 8, 27);
    }

    [Fact]
    public void Load_ExpressionErrorInBlockScalar_PointsAtScalarStart()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: transform
                with: |
                  line one ${{ ) }}
            """);

        DslAssert.Has(result, "AF1016", 5, 11);
    }

    [Fact]
    public void Load_SeveralProblems_AllReportedInOrder()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: htpp
              - id: a
                kind: noop
                needs: ghost
              - id: c
                kind: http
                retry: { maxAttempts: 0 }
            outputs: { o: "${{ nodes.zzz.output }}" }
            """);

        var codes = result.Diagnostics.Select(d => $"{d.Code}@{d.Location.Line}:{d.Location.Column}").ToList();
        Assert.Equal(["AF1103@4:11", "AF1102@5:9", "AF1104@7:12", "AF1301@8:5", "AF1305@10:27", "AF1204@11:20"], codes);
        Assert.Null(result.Definition);
        Assert.NotNull(result.PartialDefinition);
    }
}
