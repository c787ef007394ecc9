using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.Runtime.Tests;

public sealed class SleepExecutorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5_000)]
    [InlineData("1m", 60_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("PT5S", 5_000)]
    [InlineData("PT1M30S", 90_000)]
    [InlineData("1.5s", 1_500)]
    public void GetDueTime_DurationText_Parsed(string text, int milliseconds) =>
        Assert.Equal(Now.AddMilliseconds(milliseconds), new SleepExecutor().GetDueTime(Value.Object(("duration", text)), Now));

    [Fact]
    public void GetDueTime_NumberOfSeconds_Parsed() =>
        Assert.Equal(Now.AddSeconds(3), new SleepExecutor().GetDueTime(Value.Object(("duration", 3)), Now));

    [Fact]
    public void GetDueTime_Until_UsesTimestamp() =>
        Assert.Equal(Now.AddDays(1), new SleepExecutor().GetDueTime(Value.Object(("until", "2026-01-02T00:00:00Z")), Now));

    [Theory]
    [InlineData("soon")]
    [InlineData("PTxS")]
    [InlineData("-5s")]
    public void GetDueTime_Invalid_ThrowsSleepParameters(string text)
    {
        var error = Assert.Throws<NodeExecutionException>(() => new SleepExecutor().GetDueTime(Value.Object(("duration", text)), Now));

        Assert.Equal("sleep.parameters", error.Code);
        Assert.False(error.Retryable);
    }

    [Fact]
    public void GetDueTime_NoParameters_ExplainsWhatIsNeeded()
    {
        var error = Assert.Throws<NodeExecutionException>(() => new SleepExecutor().GetDueTime(Value.EmptyObject, Now));

        Assert.Contains("'duration'", error.Message, StringComparison.Ordinal);
    }
}
