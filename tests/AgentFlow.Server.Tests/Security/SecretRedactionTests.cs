using System.Text.Json.Nodes;
using AgentFlow.Core.Events;
using AgentFlow.Core.Values;
using AgentFlow.Server.Security;

namespace AgentFlow.Server.Tests.Security;

public sealed class SecretRedactionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ValuesOf_SecretStringsNestedAndShort_LongestFirstShortOnesLeftOut()
    {
        var started = new ExecutionStarted("e", 1, T0, "wf", 1, Value.Object(
            ("key", "sk-abc"),
            ("creds", Value.Object(("user", "ann"), ("password", "sk-abc-long"))),
            ("name", "public-name"))) { SecretInputs = ["key", "creds"] };

        Assert.Equal(["sk-abc-long", "sk-abc"], SecretRedaction.ValuesOf(started));
    }

    [Fact]
    public void Redact_SecretInsideStringsArraysAndObjects_MaskedEverywhereOtherValuesKept()
    {
        var json = JsonNode.Parse("""{"headers":{"Authorization":"Bearer sk-abc-long"},"list":["x sk-abc y",3,true],"sk-abc":"name kept"}""");

        SecretRedaction.Redact(json, ["sk-abc-long", "sk-abc"]);

        Assert.Equal("""{"headers":{"Authorization":"Bearer ***"},"list":["x *** y",3,true],"sk-abc":"name kept"}""", json!.ToJsonString());
    }
}
