using AgentFlow.Core.Values;
using AgentFlow.Testing;
using static AgentFlow.Core.Tests.Expressions.ExpressionAssert;

namespace AgentFlow.Core.Tests.Expressions;

public sealed class ExpressionFunctionTests
{
    [Theory]
    [InlineData("length('abc')", 3d)]
    [InlineData("length('')", 0d)]
    [InlineData("length(inputs.tags)", 3d)]
    [InlineData("length([])", 0d)]
    [InlineData("abs(-2.5)", 2.5d)]
    [InlineData("floor(2.7)", 2d)]
    [InlineData("floor(-2.2)", -3d)]
    [InlineData("ceil(2.1)", 3d)]
    [InlineData("ceil(-2.7)", -2d)]
    [InlineData("round(2.5)", 3d)]
    [InlineData("round(-2.5)", -3d)]
    [InlineData("round(2.4)", 2d)]
    [InlineData("round(3.14159, 2)", 3.14d)]
    [InlineData("min(3, 1, 2)", 1d)]
    [InlineData("max(3, 1, 2)", 3d)]
    [InlineData("min(5)", 5d)]
    [InlineData("max([4, 9, 2])", 9d)]
    [InlineData("min([4, 9, 2])", 2d)]
    [InlineData("sum([1, 2, 3.5])", 6.5d)]
    [InlineData("sum([])", 0d)]
    [InlineData("sum(pluck([{n: 2}, {n: 3}], 'n'))", 5d)]
    [InlineData("toNumber('42')", 42d)]
    [InlineData("toNumber(' 1.5e2 ')", 150d)]
    [InlineData("toNumber(true)", 1d)]
    [InlineData("toNumber(null)", 0d)]
    [InlineData("toNumber(7)", 7d)]
    public void Evaluate_NumericFunction_ReturnsNumber(string text, double expected) => Evaluates(text, expected);

    [Theory]
    [InlineData("contains('hello', 'ell')", true)]
    [InlineData("contains('hello', 'ELL')", false)]
    [InlineData("contains(inputs.tags, 'b')", true)]
    [InlineData("contains(inputs.tags, 'z')", false)]
    [InlineData("contains([1, [2]], [2])", true)]
    [InlineData("contains([1], '1')", false)]
    [InlineData("startsWith('hello', 'he')", true)]
    [InlineData("startsWith('hello', 'He')", false)]
    [InlineData("endsWith('hello', 'lo')", true)]
    [InlineData("endsWith('hello', 'he')", false)]
    public void Evaluate_PredicateFunction_ReturnsBoolean(string text, bool expected) => Evaluates(text, expected);

    [Theory]
    [InlineData("lower('AbC')", "abc")]
    [InlineData("upper('AbC')", "ABC")]
    [InlineData("upper('i')", "I")]
    [InlineData("trim('  x y \n')", "x y")]
    [InlineData("join(inputs.tags)", "a,b,c")]
    [InlineData("join(inputs.tags, ' | ')", "a | b | c")]
    [InlineData("join([1, null, true, 'x', [2]], '-')", "1--true-x-[2]")]
    [InlineData("join([], '-')", "")]
    [InlineData("toJson({a: [1, 'x', null]})", "{\"a\":[1,\"x\",null]}")]
    [InlineData("toJson('q\"')", "\"q\\\"\"")]
    [InlineData("format('{0} is {1}', inputs.name, 36)", "Ada is 36")]
    [InlineData("format('{1}{0}{1}', 'a', 'b')", "bab")]
    [InlineData("format('{{literal}} {0}', null)", "{literal} ")]
    [InlineData("format('no placeholders')", "no placeholders")]
    [InlineData("toString(1.5)", "1.5")]
    [InlineData("toString(null)", "")]
    [InlineData("toString(false)", "false")]
    [InlineData("toString([1, {a: 'b'}])", "[1,{\"a\":\"b\"}]")]
    public void Evaluate_StringFunction_ReturnsString(string text, string expected) => Evaluates(text, expected);

    [Fact]
    public void Evaluate_CollectionFunctions_ReturnValues()
    {
        Evaluates("split('a,b,,c', ',')", Value.Array("a", "b", "", "c"));
        Evaluates("split('a--b', '--')", Value.Array("a", "b"));
        Evaluates("keys(inputs.user)", Value.Array("name", "address"));
        Evaluates("values({x: 1, y: 'two'})", Value.Array(1, "two"));
        Evaluates("pluck([{id: 1, n: 2}, {n: 3}, 4], 'id')", Value.Array(1, Value.Null, Value.Null));
        Evaluates("coalesce(null, inputs.missing, 'third', 'fourth')", "third");
        Evaluates("coalesce(null)", Value.Null);
        Evaluates("coalesce(null, false)", false);
        Evaluates("fromJson('{\"a\": [1, 2]}').a[1]", 2);
        Evaluates("fromJson('null')", Value.Null);
        Evaluates("fromJson('1e999') > 1e308", true);
        Evaluates("fromJson(toJson(inputs)) == inputs", true);
    }

    [Fact]
    public void Evaluate_Now_FormatsScopeClockAsRoundTripIso8601()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero));
        var scope = new TestScope(clock);
        Evaluates("now()", "2026-03-04T05:06:07.8900000+00:00", scope);
        clock.Advance(TimeSpan.FromHours(1));
        Evaluates("now()", "2026-03-04T06:06:07.8900000+00:00", scope);
    }

    [Fact]
    public void Evaluate_NowWithOffsetClock_ReportsUtc()
    {
        var scope = new TestScope(new FixedOffsetClock());
        Evaluates("now()", "2026-01-01T00:00:00.0000000+00:00", scope);
    }

    [Theory]
    [InlineData("length(5)", "length(string | array)")]
    [InlineData("length({})", "length(string | array)")]
    [InlineData("contains(5, 5)", "contains(string, string)")]
    [InlineData("contains('abc', 1)", "contains(string, string)")]
    [InlineData("startsWith(1, 'a')", "startsWith(string, string)")]
    [InlineData("endsWith('a', null)", "endsWith(string, string)")]
    [InlineData("lower(1)", "lower(string)")]
    [InlineData("upper(null)", "upper(string)")]
    [InlineData("trim([])", "trim(string)")]
    [InlineData("join('abc')", "join(array, string?)")]
    [InlineData("join([1], 2)", "join(array, string?)")]
    [InlineData("split('a', 1)", "split(string, string)")]
    [InlineData("split('a', '')", "split(string, string)")]
    [InlineData("keys([1])", "keys(object)")]
    [InlineData("values('x')", "values(object)")]
    [InlineData("fromJson(1)", "fromJson(string)")]
    [InlineData("fromJson('{nope')", "malformed JSON")]
    [InlineData("fromJson('')", "malformed JSON")]
    [InlineData("fromJson('[1] [2]')", "malformed JSON")]
    [InlineData("format(1)", "format(string, any...)")]
    [InlineData("format('{0} {1}', 'a')", "placeholder {1} has no argument")]
    [InlineData("format('{x}', 'a')", "malformed placeholder")]
    [InlineData("format('a } b')", "unmatched '}'")]
    [InlineData("abs('1')", "abs(number)")]
    [InlineData("floor(null)", "floor(number)")]
    [InlineData("ceil(true)", "ceil(number)")]
    [InlineData("round(1.5, 1.5)", "round(number, number?)")]
    [InlineData("round(1.5, 16)", "round(number, number?)")]
    [InlineData("min(1, 'a')", "min(number, number...)")]
    [InlineData("max([1, 'a'])", "max(number, number...)")]
    [InlineData("max([])", "the array is empty")]
    [InlineData("sum([1, 'a'])", "sum(array)")]
    [InlineData("sum(1)", "sum(array)")]
    [InlineData("pluck({a: 1}, 'a')", "pluck(array, string)")]
    [InlineData("toNumber('12abc')", "cannot convert '12abc'")]
    [InlineData("toNumber([])", "toNumber(number | string | boolean | null)")]
    public void Evaluate_FunctionWithWrongArgumentKind_ThrowsNamingFunctionAndTypes(string text, string fragment) =>
        Assert.Contains(fragment, Fails(text).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("length()", "length(string | array) takes 1 argument(s) but got 0")]
    [InlineData("length('a', 'b')", "takes 1 argument(s) but got 2")]
    [InlineData("join()", "takes 1 to 2 argument(s)")]
    [InlineData("coalesce()", "takes at least 1 argument(s)")]
    [InlineData("now(1)", "now() takes 0 argument(s) but got 1")]
    public void TryParse_FunctionWithWrongArity_ReportsParseErrorAtName(string text, string fragment)
    {
        var error = ParseFails(text);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Column);
    }

    [Fact]
    public void Evaluate_FunctionProducingTooLongString_Throws()
    {
        var scope = TestScope.Standard().WithRoot("big", new string('x', 600 * 1024));
        Assert.Contains("too long", Fails("join([big, big], '')", scope).Message, StringComparison.Ordinal);
        Assert.Contains("too long", Fails("big + big", scope).Message, StringComparison.Ordinal);
        Assert.Contains("too long", Fails("format('{0}{0}', big)", scope).Message, StringComparison.Ordinal);
        Assert.Contains("too long", Fails("toJson([big, big])", scope).Message, StringComparison.Ordinal);
        Evaluates("length(big + 'y')", 600 * 1024 + 1, scope);
    }

    [Fact]
    public void Evaluate_SplitProducingTooManyItems_Throws()
    {
        var scope = TestScope.Standard().WithRoot("commas", new string(',', 100_000));
        Assert.Contains("too large", Fails("split(commas, ',')", scope).Message, StringComparison.Ordinal);
        Evaluates("length(split(commas, ',,'))", 50_001, scope);
    }

    private sealed class FixedOffsetClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.CreateCustomTimeZone("Plus5", TimeSpan.FromHours(5), "Plus5", "Plus5");
    }
}
