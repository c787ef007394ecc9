using System.Text.Json.Nodes;

namespace AgentFlow.Testing.FlowGramHarness;

/// <summary>
/// The cases of <c>tests/flowgram</c> (README there): loading with the placeholders filled in, mapping outputs back,
/// and the oracle of each case (the reference's <c>expected/</c>, or ours in <c>deviations/</c>).
/// </summary>
public static class HarnessCases
{
    /// <summary><c>tests/flowgram</c> of the repository the tests were built from.</summary>
    public static string Directory { get; } = Path.Combine(FindRoot(), "tests", "flowgram");

    /// <summary>Every case name, sorted.</summary>
    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, "cases"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);

    /// <summary>The names of the cases with a file in <c>deviations/</c>, sorted.</summary>
    public static IEnumerable<string> DeviationNames() =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, "deviations"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, "cases", name + ".json"));

    /// <summary>The case's <c>kind</c>: run, validate or cancel.</summary>
    public static string Kind(string name) => JsonNode.Parse(Text(name))!["kind"]?.GetValue<string>() ?? "run";

    /// <summary>The case with every placeholder replaced by its value.</summary>
    public static JsonObject Load(string name, IReadOnlyList<(string Placeholder, string Value)> substitutions)
    {
        var text = Text(name);
        foreach (var (placeholder, value) in substitutions)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Puts the placeholders back into an output, as <c>run-case.mjs</c> does, so it compares with the recorded files.</summary>
    public static JsonNode MapBack(JsonNode output, IReadOnlyList<(string Placeholder, string Value)> substitutions)
    {
        var json = output.ToJsonString();
        foreach (var (placeholder, value) in substitutions)
        {
            json = placeholder == "{{CLOSED_PORT}}"
                ? json.Replace($"127.0.0.1:{value}", $"127.0.0.1:{placeholder}", StringComparison.Ordinal)
                : json.Replace(value, placeholder, StringComparison.Ordinal);
        }

        return JsonNode.Parse(json)!;
    }

    /// <summary>The reference runtime's recorded output of the case.</summary>
    public static JsonNode Reference(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "expected", name + ".json")))!;

    /// <summary>Our documented deviation's output if the case has one, else the reference's (deviations/README.md).</summary>
    public static JsonNode Expected(string name)
    {
        var deviation = Path.Combine(Directory, "deviations", name + ".json");
        return File.Exists(deviation) ? JsonNode.Parse(File.ReadAllText(deviation))! : Reference(name);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AgentFlow.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("AgentFlow.slnx not found above the test directory.");
    }
}
