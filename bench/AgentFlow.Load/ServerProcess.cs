using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentFlow.Load;

/// <summary>
/// The real server as a child process (<c>agentflow serve --no-auth</c> on 127.0.0.1, a free port, a fresh SQLite
/// file), so the load measures what a user runs: HTTP, Kestrel, the host and the store, not an in-process shortcut.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private ServerProcess(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    public string DatabasePath => Path.Combine(_directory, "load.db");

    public static async Task<ServerProcess> StartAsync(string cliDll, CancellationToken cancellationToken)
    {
        if (!File.Exists(cliDll))
        {
            throw new FileNotFoundException($"the CLI is not built at '{cliDll}': run `dotnet build -c Release src/AgentFlow.Cli` first, or pass --cli <path to agentflow.dll>", cliDll);
        }

        var directory = Directory.CreateTempSubdirectory("agentflow-load-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { cliDll, "serve", "--no-auth", "--metrics-open", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(directory, "load.db") })
        {
            start.ArgumentList.Add(argument);
        }

        // Warnings only: per-request information logs would measure the console, not the server.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("the server exited before listening"));
                return;
            }

            var match = ListeningLine().Match(e.Data);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
            else if (!listening.Task.IsCompleted || e.Data.Contains("fail", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine("server: " + e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var address = await listening.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        return new ServerProcess(process, directory, address);
    }

    /// <summary>VmRSS of the server process in KB, from /proc.</summary>
    public long ResidentKilobytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("no VmRSS line for the server process");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
