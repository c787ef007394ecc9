using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;
using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.FlowGram.Tests.Differential;

/// <summary>
/// Runs every case of <c>tests/flowgram/cases</c> on our task API and compares the normalised output with the
/// reference runtime's <c>expected/</c>. Cases listed in <c>known-failures.txt</c> must still fail; one that passes
/// fails the test so the list only shrinks.
/// </summary>
public sealed class DifferentialTests(HarnessServers servers) : IClassFixture<HarnessServers>, IDisposable
{
    private readonly HttpClient _http = new();

    public static TheoryData<string> Cases() => [.. HarnessCases.Names()];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunCase_ReferenceCase_MatchesExpectedOrIsKnownFailure(string name)
    {
        using var api = new FlowGramTaskApi(_http);
        var output = await CaseRunner.RunAsync(new InProcessTasks(api), HarnessCases.Load(name, servers.Substitutions), CancellationToken.None);
        var actual = HarnessCases.MapBack(output, servers.Substitutions);

        if (Environment.GetEnvironmentVariable("AGENTFLOW_FLOWGRAM_ACTUAL") is { Length: > 0 } dump)
        {
            // Writes our normalised output per case, e.g. to review a deviation file before committing it.
            Directory.CreateDirectory(dump);
            await File.WriteAllTextAsync(Path.Combine(dump, name + ".json"), actual.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }

        // A documented deviation (tests/flowgram/deviations/README.md) replaces the reference's output for its case.
        var differences = JsonDiff.Compare(HarnessCases.Expected(name), actual);
        if (KnownFailures.Load().TryGetValue(name, out var reason))
        {
            Assert.False(differences.Count == 0, $"{name} now matches the reference: remove it from tests/flowgram/known-failures.txt (was: {reason})");
            return;
        }

        Assert.True(differences.Count == 0, $"{name} differs from the reference:\n{string.Join("\n", differences)}");
    }

    public static TheoryData<string> Deviations() => [.. HarnessCases.DeviationNames()];

    [Theory]
    [MemberData(nameof(Deviations))]
    public async Task Deviation_File_DiffersFromReferenceAndIsDocumented(string name)
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(HarnessCases.Directory, "deviations", "README.md"));

        Assert.NotEmpty(JsonDiff.Compare(HarnessCases.Reference(name), HarnessCases.Expected(name)));
        Assert.Contains($"`{name}`", readme, StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();
}
