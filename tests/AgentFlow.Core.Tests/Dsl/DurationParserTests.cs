using AgentFlow.Core.Dsl;

namespace AgentFlow.Core.Tests.Dsl;

public sealed class DurationParserTests
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
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5 minutes")]
    [InlineData("10x")]
    [InlineData("s")]
    [InlineData("PT")]
    [InlineData("1m30")]
    public void TryParse_InvalidText_ReturnsFalse(string text) => Assert.False(DurationParser.TryParse(text, out _));

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
}
