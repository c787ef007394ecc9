using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Values;

/// <summary>Js.Parse reads UTF-8 directly; it must give what the JsonNode route gives, values and errors alike.</summary>
public sealed class JsParseTests
{
    [Theory]
    [InlineData("""{"a":{"b":[1,2.5,-0,1e400,"x\u00e9\n",true,false,null,{}]},"c":[],"d":"\ud83d\ude00"}""")]
    [InlineData("  [ 1 , [ [ ] ] ]  ")]
    [InlineData("12345678901234567890123")]
    [InlineData("\"only a string\"")]
    public void Parse_ValidJson_SameAsJsonNodeRoute(string json)
    {
        var expected = Js.FromJson(JsonNode.Parse(json));

        var actual = Js.Parse(json);

        Assert.Equal(Js.Stringify(expected), Js.Stringify(actual));
        Assert.Equal(Shape(expected), Shape(actual));
    }

    [Theory]
    [InlineData("{\"a\":1} x", typeof(JsonException))]
    [InlineData("", typeof(JsonException))]
    [InlineData("[1,]", typeof(JsonException))]
    [InlineData("{\"a\":1,\"a\":2}", typeof(ArgumentException))]
    [InlineData("\"\\ud800\"", typeof(InvalidOperationException))]
    public void Parse_InvalidJson_ThrowsWhatJsonNodeRouteThrows(string json, Type expected)
    {
        var viaNode = Record.Exception(() => Js.FromJson(JsonNode.Parse(json)));

        var direct = Record.Exception(() => Js.Parse(json));

        Assert.IsAssignableFrom(expected, viaNode);
        Assert.Equal(viaNode!.GetType(), direct?.GetType());
        Assert.Equal(viaNode.Message, direct!.Message);
    }

    // The CLR types down the tree (JsObject / List / double / string / bool / null), which Stringify alone would not show.
    private static string Shape(object? value) => value switch
    {
        JsObject o => "{" + string.Join(",", o.Select(p => p.Key + ":" + Shape(p.Value))) + "}",
        List<object?> l => "[" + string.Join(",", l.Select(Shape)) + "]",
        null => "null",
        _ => value.GetType().Name,
    };
}
