namespace AgentFlow.Core.Tests.Dsl;

public sealed class SmokeTests
{
    [Fact]
    public void Print()
    {
        var r2 = DslAssert.Load(File.ReadAllText("/tmp/smoke.yaml"), "/tmp/smoke.yaml");
        File.WriteAllText("/tmp/smoke.out", DslAssert.Dump(r2.Diagnostics));
    }
}
