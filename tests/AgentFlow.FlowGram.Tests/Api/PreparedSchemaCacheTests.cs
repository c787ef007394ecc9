using AgentFlow.Core.Values;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Api;

public sealed class PreparedSchemaCacheTests : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly FlowGramTaskApi _api;

    public PreparedSchemaCacheTests() => _api = new FlowGramTaskApi(_http);

    [Fact]
    public void Get_SameText_SharesOneMappedDefinition()
    {
        var cache = new PreparedSchemaCache();

        var first = cache.Get(Flow(1)).For(Inputs(5));
        var second = cache.Get(Flow(1)).For(Inputs(6));

        Assert.False(first.Invalid);
        Assert.Same(first.Definition, second.Definition);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task TaskRun_SchemasAlternate_EachRunGetsItsOwnSchemasResult()
    {
        foreach (var offset in (int[])[1, 2, 1, 2])
        {
            var taskId = _api.TaskRun(Flow(offset), new JsonObject { ["n"] = 10 });
            await _api.WhenIdleAsync(taskId, CancellationToken.None);

            Assert.Equal(offset, _api.TaskResult(taskId)!["k"]!.GetValue<double>());
        }
    }

    [Fact]
    public void For_InputsInvalidAfterValidRunOfSameSchema_FailsValidation()
    {
        var cache = new PreparedSchemaCache();

        var valid = cache.Get(Flow(1)).For(Inputs(5));
        var invalid = cache.Get(Flow(1)).For(Value.EmptyObject);

        Assert.False(valid.Invalid);
        Assert.True(invalid.Invalid);
        Assert.NotSame(valid.Definition, invalid.Definition);
    }

    [Fact]
    public void Get_MoreSchemasThanCapacity_DropsTheOldest()
    {
        var cache = new PreparedSchemaCache();
        var oldest = cache.Get(Flow(0));
        for (var i = 1; i <= PreparedSchemaCache.Capacity; i++)
        {
            cache.Get(Flow(i));
        }

        Assert.Equal(PreparedSchemaCache.Capacity, cache.Count);
        Assert.NotSame(oldest, cache.Get(Flow(0)));
        Assert.Same(cache.Get(Flow(PreparedSchemaCache.Capacity)), cache.Get(Flow(PreparedSchemaCache.Capacity)));
    }

    [Fact]
    public void Get_SameInstancesAlternating_EachGetsItsOwnPreparedSchema()
    {
        var cache = new PreparedSchemaCache();
        var one = Flow(1);
        var two = Flow(2);
        var preparedOne = cache.Get(one);
        var preparedTwo = cache.Get(two);

        Assert.NotSame(preparedOne, preparedTwo);
        Assert.Same(preparedOne, cache.Get(one));
        Assert.Same(preparedOne, cache.Get(one));
        Assert.Same(preparedTwo, cache.Get(two));
        Assert.Same(preparedOne, cache.Get(Flow(1)));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Get_SchemaNotJson_ThrowsEveryTimeAndCachesNothing()
    {
        var cache = new PreparedSchemaCache();

        Assert.Throws<FlowGramException>(() => cache.Get("{not json"));
        Assert.Throws<FlowGramException>(() => cache.Get("{not json"));
        Assert.Equal(0, cache.Count);
    }

    public void Dispose()
    {
        _api.Dispose();
        _http.Dispose();
    }

    private static Value Inputs(double n) => Value.Object(("n", n));

    /// <summary>start → end, where end outputs the constant <paramref name="k"/>: one schema text per k.</summary>
    private static string Flow(int k) => """
        {"nodes":[
          {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}}},
          {"id":"end_0","type":"end","meta":{"position":{"x":1,"y":0}},"data":{"inputs":{"type":"object","properties":{"k":{"type":"integer"}}},"inputsValues":{"k":{"type":"constant","content":K}}}}],
         "edges":[{"sourceNodeID":"start_0","targetNodeID":"end_0"}]}
        """.Replace("\"content\":K", "\"content\":" + k.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
