using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentFlow.FlowGram.Tests.Differential;

/// <summary>
/// Starts the reference harness's mock LLM and HTTP servers (<c>run-case.mjs --serve</c>) once for the test class,
/// installing the harness's npm packages first when they are missing.
/// </summary>
public sealed class HarnessServers : IAsyncLifetime
{
    private Process? _process;

    /// <summary><c>tests/flowgram</c> of the repository the tests were built from.</summary>
    public static string FlowGramDirectory { get; } = Path.Combine(FindRoot(), "tests", "flowgram");

    /// <summary>Placeholder → value, e.g. <c>{{MOCK_LLM}}</c> → <c>http://127.0.0.1:33625</c>.</summary>
    public IReadOnlyList<(string Placeholder, string Value)> Substitutions { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var reference = Path.Combine(FlowGramDirectory, "reference");
        if (!Directory.Exists(Path.Combine(reference, "node_modules")))
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci") { WorkingDirectory = reference, RedirectStandardOutput = true, RedirectStandardError = true })!;
            await npm.WaitForExitAsync();
            Assert.True(npm.ExitCode == 0, "npm ci failed in tests/flowgram/reference");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = reference, RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true };
        start.ArgumentList.Add("run-case.mjs");
        start.ArgumentList.Add("--serve");
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var map = JsonNode.Parse(line ?? "{}")!.AsObject();
        Substitutions = [.. map.Select(p => (p.Key, p.Value!.GetValue<string>()))];
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.StandardInput.Close();
            _process.Kill(entireProcessTree: true);
        }

        _process?.Dispose();
        return Task.CompletedTask;
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
