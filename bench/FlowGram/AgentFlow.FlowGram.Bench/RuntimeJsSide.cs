using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentFlow.FlowGram.Bench;

/// <summary>
/// runtime-js's side: one <c>node run-js.mjs</c> process that first prints a check line per workflow
/// (<c>{name, status, result}</c>), then times each workflow and prints <c>{name, runs, seconds}</c>.
/// </summary>
internal sealed class RuntimeJsSide : IDisposable
{
    private readonly Process _node;

    private RuntimeJsSide(Process node) => _node = node;

    public static async Task<RuntimeJsSide> StartAsync(string directory, IEnumerable<Workflow> workflows, double warmupSeconds, double seconds, bool withReport, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "@flowgram.ai", "runtime-js")))
        {
            await RunToEndAsync(directory, "npm", ["ci", "--no-audit", "--no-fund"], cancellationToken);
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = directory, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["run-js.mjs", "--warmup-seconds", Invariant(warmupSeconds), "--seconds", Invariant(seconds), "--with-report", withReport ? "true" : "false"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var workflow in workflows)
        {
            start.ArgumentList.Add(Path.GetFullPath(workflow.File));
        }

        return new RuntimeJsSide(Process.Start(start) ?? throw new InvalidOperationException("node could not be started"));
    }

    /// <summary>The next line node printed, parsed.</summary>
    public async Task<JsonObject> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await _node.StandardOutput.ReadLineAsync(cancellationToken)
            ?? throw new InvalidOperationException($"run-js.mjs stopped early (see its stderr above){(_node.HasExited ? $", exit code {_node.ExitCode}" : "")}");
        return JsonNode.Parse(line)!.AsObject();
    }

    public void Dispose()
    {
        if (!_node.HasExited)
        {
            _node.Kill(entireProcessTree: true);
        }

        _node.Dispose();
    }

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task RunToEndAsync(string directory, string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' in {directory} failed with exit code {process.ExitCode}");
        }
    }
}
