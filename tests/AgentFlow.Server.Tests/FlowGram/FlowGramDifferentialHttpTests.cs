using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.Server.Tests.FlowGram;

/// <summary>
/// Every case of the differential harness over the FlowGram routes (issue 5): the answers must equal what the reference
/// server gives for the recorded in-process output (<see cref="ReferenceServer.View"/>), or for our documented deviation.
/// Known failures (tests/flowgram/known-failures.txt) must still differ, so the list only shrinks.
/// </summary>
public sealed class FlowGramDifferentialHttpTests(HttpCaseRuns runs) : IClassFixture<HttpCaseRuns>
{
    public static TheoryData<string> Cases() => [.. HarnessCases.Names()];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_OverHttp_MatchesReferenceServerOrIsKnownFailure(string name)
    {
        var actual = await runs.OutputAsync(name);
        if (Environment.GetEnvironmentVariable("AGENTFLOW_FLOWGRAM_HTTP_ACTUAL") is { Length: > 0 } dump)
        {
            // Writes the normalised HTTP output per case, to review it against ReferenceServer.View of the recorded one.
            Directory.CreateDirectory(dump);
            await File.WriteAllTextAsync(Path.Combine(dump, name + ".json"), actual.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }

        var differences = JsonDiff.Compare(ReferenceServer.View(HarnessCases.Expected(name)), actual);

        if (KnownFailures.Load().TryGetValue(name, out var reason))
        {
            Assert.False(differences.Count == 0, $"{name} now matches the reference over HTTP: remove it from tests/flowgram/known-failures.txt (was: {reason})");
            return;
        }

        Assert.True(differences.Count == 0, $"{name} over HTTP differs from the reference server, first at {string.Join("\n", differences)}");
    }
}
