using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;

namespace AgentFlow.FlowGram.Tests.Differential;

/// <summary>
/// Runs every case of <c>tests/flowgram/cases</c> on our task API and compares the normalised output with the
/// reference runtime's <c>expected/</c>. Cases listed in <c>known-failures.txt</c> must still fail; one that passes
/// fails the test so the list only shrinks.
/// </summary>
public sealed class DifferentialTests(HarnessServers servers) : IClassFixture<HarnessServers>, IDisposable
{
    private readonly HttpClient _http = new();

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        var directory = Path.Combine(HarnessServers.FlowGramDirectory, "cases");
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunCase_ReferenceCase_MatchesExpectedOrIsKnownFailure(string name)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(HarnessServers.FlowGramDirectory, "cases", name + ".json"));
        foreach (var (placeholder, value) in servers.Substitutions)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        using var api = new FlowGramTaskApi(_http);
        var actual = await CaseRunner.RunAsync(api, JsonNode.Parse(text)!.AsObject(), CancellationToken.None);
        var json = actual.ToJsonString();
        foreach (var (placeholder, value) in servers.Substitutions)
        {
            json = placeholder == "{{CLOSED_PORT}}"
                ? json.Replace($"127.0.0.1:{value}", $"127.0.0.1:{placeholder}", StringComparison.Ordinal)
                : json.Replace(value, placeholder, StringComparison.Ordinal);
        }

        if (Environment.GetEnvironmentVariable("AGENTFLOW_FLOWGRAM_ACTUAL") is { Length: > 0 } dump)
        {
            // Writes our normalised output per case, e.g. to review a deviation file before committing it.
            Directory.CreateDirectory(dump);
            await File.WriteAllTextAsync(Path.Combine(dump, name + ".json"), JsonNode.Parse(json)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }

        // A documented deviation (tests/flowgram/deviations/README.md) replaces the reference's output for its case.
        var deviation = Path.Combine(HarnessServers.FlowGramDirectory, "deviations", name + ".json");
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(File.Exists(deviation) ? deviation : Path.Combine(HarnessServers.FlowGramDirectory, "expected", name + ".json")));
        var differences = JsonDiff.Compare(expected, JsonNode.Parse(json));
        var known = KnownFailures.Load(HarnessServers.FlowGramDirectory);
        if (known.TryGetValue(name, out var reason))
        {
            Assert.False(differences.Count == 0, $"{name} now matches the reference: remove it from tests/flowgram/known-failures.txt (was: {reason})");
            return;
        }

        Assert.True(differences.Count == 0, $"{name} differs from the reference:\n{string.Join("\n", differences)}");
    }

    public static TheoryData<string> Deviations()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(HarnessServers.FlowGramDirectory, "deviations"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Deviations))]
    public async Task Deviation_File_DiffersFromReferenceAndIsDocumented(string name)
    {
        var directory = HarnessServers.FlowGramDirectory;
        var deviation = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "deviations", name + ".json")));
        var reference = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "expected", name + ".json")));
        var readme = await File.ReadAllTextAsync(Path.Combine(directory, "deviations", "README.md"));

        Assert.NotEmpty(JsonDiff.Compare(reference, deviation));
        Assert.Contains($"`{name}`", readme, StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();
}
