using AgentFlow.Core.Tests.Dsl;

namespace AgentFlow.Core.Tests.Validation;

/// <summary>Node kind parameters, control settings, sub-workflow calls and input types.</summary>
public sealed class ParameterValidationTests
{
    [Fact]
    public void Validate_MissingRequiredParameters_ArePerKind()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: h
                kind: http
                with: { method: POST }
              - id: f
                kind: fail
              - id: s
                kind: sleep
                with: {}
              - id: m
                kind: map
            """);

        Assert.Contains("'url'", DslAssert.Has(result, "AF1301", 5, 11).Message, StringComparison.Ordinal);
        Assert.Contains("'error'", DslAssert.Has(result, "AF1301", 6, 5).Message, StringComparison.Ordinal);
        Assert.Contains("duration, until", DslAssert.Has(result, "AF1301", 10, 11).Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Diagnostics.Count(d => d.Code == "AF1306" && d.Location.Line == 11));
    }

    [Fact]
    public void Validate_ConstantParameterTypes_CheckedAgainstSchema()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: h
                kind: http
                with:
                  url: http://x
                  method: 5
                  failOnStatus: "yes"
                  timeout: soon
                  header: {}
              - id: g
                kind: http
                with: { url: "${{ execution.id }}", method: FETCH }
              - id: p
                kind: http
                with: { url: "http://x", method: PSOT }
            """);

        DslAssert.Has(result, "AF1303", 7, 15);
        DslAssert.Has(result, "AF1303", 8, 21);
        DslAssert.Has(result, "AF1303", 9, 16);
        Assert.Equal("did you mean 'headers'?", DslAssert.Has(result, "AF1302", 10, 15).Hint);
        Assert.Equal("did you mean 'POST'?", DslAssert.Has(result, "AF1304", 16, 38).Hint);
        Assert.Equal("use one of: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS", DslAssert.Has(result, "AF1304", 13, 49).Hint);
    }

    [Fact]
    public void Validate_ExpressionParameter_IsNotTypeChecked()
    {
        DslAssert.LoadOk("""
            id: w
            inputs: { m: string }
            nodes:
              - { id: h, kind: http, with: { url: "http://x", method: "${{ inputs.m }}" } }
            """);
    }

    [Fact]
    public void Validate_BadSettings_PointAtValues()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: m
                kind: map
                items: [1, 2]
                concurrency: 0
                retry: { maxAttempts: -1, jitter: 1.5 }
                timeout: 0s
                body: { nodes: [ { id: t, kind: noop } ] }
              - id: n
                kind: map
                items: not-a-list
                body: { nodes: [ { id: t, kind: noop } ] }
            """);

        DslAssert.Has(result, "AF1305", 6, 18);
        DslAssert.Has(result, "AF1305", 7, 27);
        DslAssert.Has(result, "AF1305", 7, 39);
        DslAssert.Has(result, "AF1305", 8, 14);
        DslAssert.Has(result, "AF1303", 12, 12);
    }

    [Fact]
    public void Validate_OnErrorFallbackWithoutValue_IsError()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: a, kind: noop, onError: fallback }
              - { id: b, kind: noop, onError: continue, fallback: 1 }
            """);

        DslAssert.Has(result, "AF1313", 3, 35);
        Assert.Equal(Core.Diagnostics.DiagnosticSeverity.Warning, DslAssert.Has(result, "AF1313", 4, 55).Severity);
    }

    [Fact]
    public void Validate_AssignUnknownVariable_IsReported()
    {
        var result = DslAssert.Load("""
            id: w
            variables: { total: 0 }
            nodes:
              - { id: a, kind: assign, with: { totl: 1, total: 2 } }
            """);

        Assert.Equal("did you mean 'total'?", Assert.Single(result.Diagnostics).Hint);
        DslAssert.Has(result, "AF1203", 4, 42);
    }

    [Fact]
    public void Validate_SubworkflowCalls_CheckedAgainstChildInputs()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: subworkflow
                workflow: enrich
                with: { id: 5, extra: true, level: huge }
              - id: b
                kind: subworkflow
                workflow: enrch
              - id: c
                kind: subworkflow
            workflows:
              enrich:
                inputs:
                  id: { type: string, required: true }
                  name: { type: string, required: true }
                  level: { type: string, enum: [low, high], default: low }
                nodes: [ { id: x, kind: noop } ]
            """);

        DslAssert.Has(result, "AF1310", 6, 17);
        DslAssert.Has(result, "AF1309", 6, 27);
        DslAssert.Has(result, "AF1304", 6, 40);
        Assert.Contains("'name'", DslAssert.Has(result, "AF1308", 6, 11).Message, StringComparison.Ordinal);
        Assert.Equal("did you mean 'enrich'?", DslAssert.Has(result, "AF1307", 9, 15).Hint);
        DslAssert.Has(result, "AF1306", 10, 5);
    }

    [Fact]
    public void Validate_InputDefaults_CheckedAgainstTypeAndEnum()
    {
        var result = DslAssert.Load("""
            id: w
            inputs:
              count: { type: integer, default: 1.5 }
              ratio: { type: number, default: 2 }
              whole: { type: integer, default: 3.0 }
              level: { type: string, enum: [low, high], default: mid }
              flag: { type: boolean, default: "true" }
            nodes: [ { id: a, kind: noop } ]
            """);

        var codes = result.Diagnostics.Select(d => $"{d.Code}@{d.Location.Line}:{d.Location.Column}").ToList();
        Assert.Equal(["AF1311@3:36", "AF1312@6:54", "AF1311@7:35"], codes);
    }

    [Fact]
    public void Validate_BreakOutsideMap_IsReportedButAllowedInBody()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: stop, kind: break }
              - id: each
                kind: map
                items: [1]
                body: { nodes: [ { id: next, kind: continue } ] }
            """);

        var d = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("AF1305", 3, 23), (d.Code, d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Validate_NestedChildReference_ResolvesAgainstTopLevelWorkflows()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - { id: a, kind: subworkflow, workflow: first }
            workflows:
              first:
                nodes:
                  - { id: b, kind: subworkflow, workflow: second }
                  - { id: c, kind: subworkflow, workflow: hidden }
                workflows:
                  hidden: { nodes: [ { id: x, kind: noop } ] }
              second: { nodes: [ { id: y, kind: noop } ] }
            """);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("AF1307", 8, 47), (d.Code, d.Location.Line, d.Location.Column));
    }
}
