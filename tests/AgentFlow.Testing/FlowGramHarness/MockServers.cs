using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentFlow.Testing.FlowGramHarness;

/// <summary>
/// The reference harness's mock LLM and HTTP servers (<c>run-case.mjs --serve</c>), installing the harness's npm
/// packages first when they are missing. Several test assemblies may start them at once, so the install is serialised
/// through a lock file.
/// </summary>
public sealed class MockServers : IAsyncDisposable
{
    private readonly Process _process;

    private MockServers(Process process, IReadOnlyList<(string Placeholder, string Value)> substitutions)
    {
        _process = process;
        Substitutions = substitutions;
    }

    /// <summary>Placeholder → value, e.g. <c>{{MOCK_LLM}}</c> → <c>http://127.0.0.1:33625</c>.</summary>
    public IReadOnlyList<(string Placeholder, string Value)> Substitutions { get; }

    public static async Task<MockServers> StartAsync(CancellationToken cancellationToken)
    {
        var reference = Path.Combine(HarnessCases.Directory, "reference");
        await InstallAsync(reference, cancellationToken);
        var start = new ProcessStartInfo("node") { WorkingDirectory = reference, RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true };
        start.ArgumentList.Add("run-case.mjs");
        start.ArgumentList.Add("--serve");
        var process = Process.Start(start)!;
        try
        {
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            var map = JsonNode.Parse(line ?? throw new InvalidOperationException("run-case.mjs --serve exited without printing its placeholder map."))!.AsObject();
            return new MockServers(process, [.. map.Select(p => (p.Key, p.Value!.GetValue<string>()))]);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task InstallAsync(string reference, CancellationToken cancellationToken)
    {
        // Always under the lock: another test assembly may be halfway through its npm ci, with node_modules half there.
        using var gate = await LockAsync(Path.Combine(reference, ".npm-ci.lock"), cancellationToken);

        // npm writes its hidden lock file last, once the install is complete.
        if (File.Exists(Path.Combine(reference, "node_modules", ".package-lock.json")))
        {
            return;
        }

        using var npm = Process.Start(new ProcessStartInfo("npm", "ci") { WorkingDirectory = reference, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = npm.StandardError.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed in {reference} (exit {npm.ExitCode}):\n{await output}\n{await error}");
        }
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(5));
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(200, limit.Token);
            }
        }
    }
}
