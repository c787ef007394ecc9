using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;
using AgentFlow.FlowGram.Tests.Differential;
using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.FlowGram.Tests.Api;

/// <summary>
/// The report reader writes a report as one JSON text and parses it once: on every harness case (loops, nested loops,
/// conditions, failures, cancels, running tasks) each report it gives must be the one the former reader
/// (<see cref="LegacyReportReader"/>) gives, byte for byte, with the same typed reads of every recorded value.
/// </summary>
public sealed class ReportEquivalenceTests(HarnessServers servers) : IClassFixture<HarnessServers>, IDisposable
{
    private const string Values = """
        {"nodes":[
          {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"title":"S","extra":{"n":-0.0,"big":1e21},"outputs":{"type":"object","properties":{"v":{"type":"object"}}}}},
          {"id":"end_0","type":"end","meta":{"position":{"x":1,"y":0}},"data":{"inputs":{"type":"object","properties":{"v":{"type":"object"}}},"inputsValues":{"v":{"type":"ref","content":["start_0","v"]}}}}],
         "edges":[{"sourceNodeID":"start_0","targetNodeID":"end_0"}]}
        """;

    private readonly HttpClient _http = new();

    public static TheoryData<string> Cases() => [.. HarnessCases.Names()];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ReadAsync_HarnessCase_SameReportAsFormerReader(string name)
    {
        using var api = new FlowGramTaskApi(_http);
        var tasks = new ComparingTasks(api);

        await CaseRunner.RunAsync(tasks, HarnessCases.Load(name, servers.Substitutions), CancellationToken.None);

        Assert.True(tasks.Compared > 0 || tasks.Reads == 0, $"{name}: no report read could be compared");
    }

    [Fact]
    public async Task ReadAsync_EveryValueKind_SameTextAndTypedReadsAsFormerReader()
    {
        using var api = new FlowGramTaskApi(_http);
        var inputs = JsonNode.Parse("""
            {"v":{"i":7,"neg":-3,"d":1.5,"z":-0.0,"big":1e21,"edge":1e15,"long":123456789012345,"tiny":5e-324,
                  "s":"x\u00e9\n\"<>&'\ud83d\ude00\u2028","t":true,"f":false,"n":null,"a":[1,2.25,{"b":null,"c":"\u0001"}],"o":{"e":[[]]}}}
            """)!.AsObject();
        var taskId = await api.TaskRunAsync(Values, inputs, CancellationToken.None);
        await api.WhenIdleAsync(taskId, CancellationToken.None);

        var (current, former) = await ReadBothAsync(api, taskId);

        Assert.NotNull(current);
        AssertSame(former!, current);
        Assert.Equal(1e21, current["outputs"]!["v"]!["big"]!.GetValue<double>());
        Assert.Equal(7, current["outputs"]!["v"]!["i"]!.GetValue<int>());
    }

    public void Dispose() => _http.Dispose();

    private static async Task<(JsonObject? Current, JsonObject? Former)> ReadBothAsync(FlowGramTaskApi api, string taskId, TimeProvider? time = null)
    {
        // A fixed clock: a running node's timeCost counts up to "now".
        time ??= new FixedTime(api.Runtime.TimeProvider.GetUtcNow());
        var current = await ReportReader.ReadAsync(api.Runtime.Store, taskId, time, CancellationToken.None);
        var former = await LegacyReportReader.ReadAsync(api.Runtime.Store, taskId, time, CancellationToken.None);
        return (current, former);
    }

    private static void AssertSame(JsonObject former, JsonObject current)
    {
        Assert.Equal(Text(former), Text(current));
        AssertSameReads(former, current, "$");
    }

    /// <summary>The report's text with its fresh random ids (the report's and its error messages') blanked.</summary>
    private static string Text(JsonObject report)
    {
        var copy = report.DeepClone().AsObject();
        copy["id"] = "-";
        foreach (var message in copy["messages"]!["error"]!.AsArray())
        {
            message!["id"] = "-";
        }

        return copy.ToJsonString();
    }

    private static void AssertSameReads(JsonNode? former, JsonNode? current, string path)
    {
        switch (former)
        {
            case JsonObject o:
                var c = Assert.IsType<JsonObject>(current);
                Assert.Equal(o.Select(p => p.Key), c.Select(p => p.Key));
                foreach (var (key, value) in o)
                {
                    AssertSameReads(value, c[key], path + "." + key);
                }

                break;
            case JsonArray a:
                var ca = Assert.IsType<JsonArray>(current);
                Assert.Equal(a.Count, ca.Count);
                for (var i = 0; i < a.Count; i++)
                {
                    AssertSameReads(a[i], ca[i], $"{path}[{i}]");
                }

                break;
            case JsonValue v:
                var cv = Assert.IsAssignableFrom<JsonValue>(current);
                Assert.Equal(v.GetValueKind(), cv.GetValueKind());
                if (v.TryGetValue<JsonElement>(out _))
                {
                    // A recorded value: typed reads must answer as before.
                    Assert.True(Same<int>(v, cv) && Same<long>(v, cv) && Same<double>(v, cv) && Same<decimal>(v, cv) && Same<string>(v, cv) && Same<bool>(v, cv), path);
                }

                break;
            default:
                Assert.Null(current);
                break;
        }
    }

    private static bool Same<T>(JsonValue former, JsonValue current) =>
        former.TryGetValue<T>(out var a) == current.TryGetValue<T>(out var b) && EqualityComparer<T>.Default.Equals(a, b);

    /// <summary>Compares both readers on every report the case reads.</summary>
    private sealed class ComparingTasks(FlowGramTaskApi api) : IFlowGramTasks
    {
        private readonly InProcessTasks _inner = new(api);

        public int Reads { get; private set; }

        public int Compared { get; private set; }

        public Task<JsonObject> ValidateAsync(string schema, JsonObject inputs, CancellationToken cancellationToken) => _inner.ValidateAsync(schema, inputs, cancellationToken);

        public Task<TaskRunOutcome> RunAsync(string schema, JsonObject inputs, CancellationToken cancellationToken) => _inner.RunAsync(schema, inputs, cancellationToken);

        public async Task<JsonObject?> ReportAsync(string taskId, CancellationToken cancellationToken)
        {
            Reads++;
            for (var attempt = 0; attempt < 50; attempt++)
            {
                // A running task's log may grow between two reads: compare only when the former reader read the same
                // log before and after.
                var time = new FixedTime(api.Runtime.TimeProvider.GetUtcNow());
                var before = await LegacyReportReader.ReadAsync(api.Runtime.Store, taskId, time, cancellationToken);
                var (current, former) = await ReadBothAsync(api, taskId, time);
                if (before is null || former is null || Text(before) != Text(former))
                {
                    continue;
                }

                Assert.NotNull(current);
                AssertSame(former, current);
                Compared++;
                break;
            }

            return await _inner.ReportAsync(taskId, cancellationToken);
        }

        public Task<JsonObject?> ResultAsync(string taskId, CancellationToken cancellationToken) => _inner.ResultAsync(taskId, cancellationToken);

        public Task<bool> CancelAsync(string taskId, CancellationToken cancellationToken) => _inner.CancelAsync(taskId, cancellationToken);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
