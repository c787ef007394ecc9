using AgentFlow.Core.Tests.Dsl;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Values;

public sealed class DurationTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("PT5S", 5_000)]
    [InlineData("PT1M30S", 90_000)]
    [InlineData("P1D", 86_400_000)]
    [InlineData("30", 30_000)]
    [InlineData("0.25", 250)]
    [InlineData(" 10s ", 10_000)]
    public void TryParse_ValidText_ReturnsDuration(string text, long milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5 minutes")]
    [InlineData("10x")]
    [InlineData("s")]
    [InlineData("PT")]
    [InlineData("1m30")]
    [InlineData("-5")]
    [InlineData("-PT5S")]
    public void TryParse_InvalidText_ReturnsFalse(string text) => Assert.False(Duration.TryParse(text, out _));

    [Fact]
    public void Load_BareNumberTimeout_MeansSeconds()
    {
        var w = DslAssert.LoadOk("""
            id: w
            timeout: 90
            nodes: [ { id: a, kind: noop, timeout: PT2M } ]
            """);

        Assert.Equal(TimeSpan.FromSeconds(90), w.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(2), w.Nodes[0].Timeout);
    }

    [Fact]
    public void TryFromValue_NumberOrString_ReadsSecondsOrText()
    {
        Assert.True(Duration.TryFromValue(1.5, out var fromNumber));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), fromNumber);
        Assert.True(Duration.TryFromValue("2m", out var fromText));
        Assert.Equal(TimeSpan.FromMinutes(2), fromText);
        Assert.False(Duration.TryFromValue(true, out _));
        Assert.False(Duration.TryFromValue(Value.Null, out _));
    }

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(1500, "1.5s")]
    [InlineData(125_000, "2m5s")]
    [InlineData(3_720_000, "1h2m")]
    public void Format_Duration_IsCompact(long milliseconds, string expected) =>
        Assert.Equal(expected, Duration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
