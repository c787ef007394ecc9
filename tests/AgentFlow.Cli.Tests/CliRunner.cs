using System.Diagnostics;

namespace AgentFlow.Cli.Tests;

/// <summary>Runs the CLI in-process (fast, most tests) or as a real child process (end to end).</summary>
internal static class CliRunner
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Sample(string name) => Path.Combine(RepositoryRoot, "samples", name);

    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public static async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken, TextWriter? error = null)
    {
        using var output = new StringWriter();
        error ??= new StringWriter();
        var code = await CliApplication.RunAsync(args, new CliConsole(output, error, Interactive: false), cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString()!);
    }

    /// <summary>Runs the built <c>agentflow.dll</c> with <c>dotnet</c>, as a user would after a build.</summary>
    public static async Task<CliResult> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentflow.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AgentFlow.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (AgentFlow.slnx) above the test binaries.");
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error);
