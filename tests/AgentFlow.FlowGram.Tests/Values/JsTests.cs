using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Values;

public sealed class JsTests
{
    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(3, "3")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-2.25, "-2.25")]
    public void NumberToString_Number_FormatsLikeJavaScript(double number, string expected) =>
        Assert.Equal(expected, Js.NumberToString(number));

    [Fact]
    public void ToJsString_ContainersAndNil_FollowStringSemantics()
    {
        Assert.Equal("x,y", Js.ToJsString(new List<object?> { "x", "y" }));
        Assert.Equal("[object Object]", Js.ToJsString(new JsObject { ["a"] = 1d }));
        Assert.Equal("null", Js.ToJsString(null));
        Assert.Equal("undefined", Js.ToJsString(Js.Undefined));
    }

    [Fact]
    public void Stringify_UndefinedProperty_IsDropped()
    {
        var value = new JsObject { ["a"] = Js.Undefined, ["b"] = 1d, ["c"] = new List<object?> { Js.Undefined } };

        Assert.Equal("{\"b\":1,\"c\":[null]}", Js.Stringify(value));
    }
}
