using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Api;

namespace AgentFlow.FlowGram.Tests.Api;

/// <summary>Reports and results parse stored values from their UTF-8 JSON: the nodes must be those the text route gave.</summary>
public sealed class ReportJsonConversionTests
{
    [Fact]
    public void ToJson_StoredValues_SameNodesAsParsingTheirText()
    {
        var values = new[]
        {
            Value.Null, Value.True, Value.From(0), Value.From(-0d), Value.From(1.5), Value.From(1e21), Value.From(1e15), Value.From(double.NaN),
            Value.From(123456789012345), Value.From("x\u00e9\n\"<>&'\ud83d\ude00\u2028"), Value.EmptyObject, Value.EmptyArray,
            Value.Parse("""{"a":[1,2.25,{"b":null,"c":"\u0001"}],"d":{"e":[[]]},"f":-3}"""),
        };

        foreach (var value in values)
        {
            var expected = value.IsNull ? null : JsonNode.Parse(value.ToJson());

            var actual = ReportReader.ToJson(value);

            Assert.Equal(expected?.ToJsonString(), actual?.ToJsonString());
            Assert.True(JsonNode.DeepEquals(expected, actual));
            Assert.Equal(expected?.GetValueKind(), actual?.GetValueKind());
            if (expected is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
            {
                // Backed by parsed JSON like before: integral numbers still read as integers.
                Assert.Equal(number.TryGetValue<long>(out var a), actual!.AsValue().TryGetValue<long>(out var b));
                Assert.Equal(a, b);
            }
        }
    }
}
