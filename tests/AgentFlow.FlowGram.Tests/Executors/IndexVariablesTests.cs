using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Executors;

namespace AgentFlow.FlowGram.Tests.Executors;

/// <summary>The shared index variables of a loop's locals must record exactly what a variable built per iteration records.</summary>
public sealed class IndexVariablesTests
{
    private static string Fresh(Value index) => Value.Object(("type", "number"), ("items", Value.Null), ("value", index)).ToJson();

    [Fact]
    public void Get_IndexesInAndBeyondTheTable_SameAsBuiltPerIteration()
    {
        var indexes = new IndexVariables();
        for (var round = 0; round < 2; round++)
        {
            // The second round reads what the first one kept.
            for (var i = 0; i < IndexVariables.Capacity + 50; i++)
            {
                Assert.Equal(Fresh(Value.From(i)), indexes.Get(Value.From(i)).ToJson());
            }
        }

        Assert.True(indexes.IsKept(0));
        Assert.True(indexes.IsKept(IndexVariables.Capacity - 1));
        Assert.False(indexes.IsKept(IndexVariables.Capacity));
    }

    [Fact]
    public void Get_ValuesThatAreNotSmallWholeNumbers_BuiltFreshNeverFromTheTable()
    {
        var indexes = new IndexVariables();
        indexes.Get(Value.From(0));
        indexes.Get(Value.From(1));
        foreach (var odd in new[] { Value.From(-0d), Value.From(0.5), Value.From(1 + 1e-12), Value.From(-1), Value.From(double.NaN), Value.From("1"), Value.Null, Value.True })
        {
            Assert.Equal(Fresh(odd), indexes.Get(odd).ToJson());
            Assert.Equal(Value.Object(("type", "number"), ("items", Value.Null), ("value", odd)), indexes.Get(odd));
        }

        Assert.Equal("""{"type":"number","items":null,"value":-0}""", indexes.Get(Value.From(-0d)).ToJson());
    }

    [Fact]
    public void Get_ManyThreadsGrowingTheTable_EveryAnswerMatchesItsIndex()
    {
        var indexes = new IndexVariables();
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < IndexVariables.Capacity; i++)
            {
                var index = (i * 7 + worker * 131) % IndexVariables.Capacity;
                Assert.Equal(Fresh(Value.From(index)), indexes.Get(Value.From(index)).ToJson());
            }
        });
    }
}
