using AgentFlow.Core.Tests.Dsl;

namespace AgentFlow.Core.Tests.Validation;

/// <summary>The <c>wait</c> node kind: a signal name is required and the timeout must be a duration.</summary>
public sealed class WaitNodeValidationTests
{
    [Fact]
    public void Validate_WaitWithSignalAndTimeout_Loads()
    {
        var definition = DslAssert.LoadOk("""
            id: w
            nodes:
              - id: approve
                kind: wait
                with: { signal: approved, timeout: 5m }
            """);

        Assert.Equal("wait", definition.Nodes.Single().Kind);
    }

    [Fact]
    public void Validate_WaitProblems_SignalMissingTimeoutNotDurationUnknownParameter()
    {
        var result = DslAssert.Load("""
            id: w
            nodes:
              - id: a
                kind: wait
                with: { timeout: 5m }
              - id: b
                kind: wait
                with: { signal: go, timeout: soon }
              - id: c
                kind: wait
                with: { signal: go, sleep: 1s }
            """);

        Assert.Contains("'signal'", DslAssert.Has(result, "AF1301", 5, 11).Message, StringComparison.Ordinal);
        Assert.Contains("not a duration", DslAssert.Has(result, "AF1303", 8, 34).Message, StringComparison.Ordinal);
        DslAssert.Has(result, "AF1302", 11, 32);
    }
}
