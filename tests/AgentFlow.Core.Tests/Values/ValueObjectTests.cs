using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Values;

public sealed class ValueObjectTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void Create_RepeatedNames_KeepFirstPositionAndLastValue(int count)
    {
        var pairs = Enumerable.Range(0, count).Select(i => new KeyValuePair<string, Value>($"k{i}", i))
            .Concat([new("k0", "last"), new($"k{count - 1}", "end"), new("extra", true)]);

        var created = ValueObject.Create(pairs.Where(_ => true));

        Assert.Equal([.. Enumerable.Range(0, count).Select(i => $"k{i}"), "extra"], created.Keys);
        Assert.Equal(Value.From("last"), created["k0"]);
        Assert.Equal(Value.From("end"), created[$"k{count - 1}"]);
        Assert.True(created["extra"].AsBoolean());
        Assert.False(created.ContainsKey("missing"));
        for (var i = 1; i < count - 1; i++)
        {
            Assert.Equal(Value.From(i), created[$"k{i}"]);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(9)]
    public void Create_ArrayOrListWithRepeatedNames_SameAsEnumerableAndLeavesTheSourceAlone(int count)
    {
        KeyValuePair<string, Value>[] pairs = [.. Enumerable.Range(0, count).Select(i => new KeyValuePair<string, Value>($"k{i}", i)), new("k0", "last"), new("extra", true)];
        KeyValuePair<string, Value>[] original = [.. pairs];
        var list = pairs.ToList();

        var fromEnumerable = ValueObject.Create(pairs.Where(_ => true));
        var fromArray = ValueObject.Create(pairs);
        var fromList = ValueObject.Create(list);

        Assert.Equal(fromEnumerable, fromArray);
        Assert.Equal(fromEnumerable, fromList);
        Assert.Equal(fromEnumerable.Keys, fromArray.Keys);
        Assert.Equal(fromEnumerable.Keys, fromList.Keys);
        Assert.Equal(original, pairs);
        Assert.Equal(original, list);
    }

    [Fact]
    public void Enumerate_YieldsPropertiesInOrder()
    {
        var created = Value.Object(("b", 2), ("a", 1), ("b", 3)).AsObject();
        var seen = new List<KeyValuePair<string, Value>>();
        foreach (var pair in created)
        {
            seen.Add(pair);
        }

        Assert.Equal([new("b", Value.From(3)), new("a", Value.From(1))], seen);
        Assert.Equal(seen, created.AsEnumerable());
    }

    [Fact]
    public void Create_NoProperties_IsEmpty()
    {
        Assert.Same(ValueObject.Empty, ValueObject.Create([]));
        Assert.Same(ValueObject.Empty, ValueObject.Create(Enumerable.Empty<KeyValuePair<string, Value>>().Where(_ => true)));
    }

    [Fact]
    public void Object_Tuples_SameAsPairs() =>
        Assert.Equal(Value.Object(new List<KeyValuePair<string, Value>> { new("a", 1), new("b", 2) }), Value.Object(("a", 1), ("b", 2), ("a", 1)));

    [Fact]
    public void TryGetValue_SameLengthNamesAndCopiedKeys_FindsByContent()
    {
        var created = ValueObject.Create([new("abc1", 1), new("abc2", 2), new("abd1", 3), new(new string("abc1".AsSpan()), 4)]);
        var key = string.Concat("abc", "2");

        Assert.Equal(["abc1", "abc2", "abd1"], created.Keys);
        Assert.Equal(Value.From(4), created["abc1"]);
        Assert.True(created.TryGetValue(key, out var found));
        Assert.Equal(Value.From(2), found);
        Assert.False(created.TryGetValue("abc3", out _));
        Assert.False(created.TryGetValue(null!, out _));
    }
}
