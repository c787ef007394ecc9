using System.Text;
using System.Text.Json;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Values;

/// <summary>Numbers are written with exactly the text a double gets from <see cref="Utf8JsonWriter"/>.</summary>
public sealed class ValueJsonNumberTests
{
    [Fact]
    public void ToJson_RandomAndEdgeNumbers_WritesWhatTheDoubleWriterWrites()
    {
        var random = new Random(20261121);
        var numbers = new List<double>
        {
            0, -0.0, 1, -1, 999_999_999_999_999, -999_999_999_999_999, 1e15, -1e15, 1e15 - 1, 123456789012345.5,
            long.MaxValue, long.MinValue, 9007199254740992, 1e21, 0.1, 1.5, -2.5e-300, double.Epsilon, double.MaxValue,
        };
        for (var i = 0; i < 20_000; i++)
        {
            numbers.Add(random.Next(4) switch
            {
                0 => random.NextInt64(-1000, 1000),
                1 => random.NextInt64(-2_000_000_000_000_000, 2_000_000_000_000_000),
                2 => Math.Round(random.NextDouble() * Math.Pow(10, random.Next(0, 17))) * (random.Next(2) == 0 ? 1 : -1),
                _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 25)),
            });
        }

        foreach (var number in numbers)
        {
            Assert.Equal(DoubleWriterText(number), Value.From(number).ToJson());
        }

        Assert.Equal("[3,-0,1000000000000000,0.5,1E+21]", Value.Array(3, -0.0, 1e15, 0.5, 1e21).ToJson());
    }

    private static string DoubleWriterText(double number)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteNumberValue(number);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
