using System.Diagnostics;
using System.Text;

namespace AgentFlow.Cli.Tests.Durability;

/// <summary>A real <c>agentflow</c> child process that can be killed with SIGKILL at any moment.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private WorkerProcess(Process process) => _process = process;

    public static WorkerProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = CliRunner.RepositoryRoot,
        };
        // agentflow.runtimeconfig.json names Microsoft.NETCore.App alone, but this output directory lacks the NuGet
        // copies of assemblies the test host gets from Microsoft.AspNetCore.App (the build drops them in favour of the
        // framework), among them Microsoft.Extensions.Logging.Abstractions, which Npgsql loads. Running with the test
        // host's runtimeconfig gives the child process the same frameworks as the tests, so --postgres works here too.
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AgentFlow.Cli.Tests.runtimeconfig.json"));
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentflow.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var worker = new WorkerProcess(new Process { StartInfo = start });
        worker._process.ErrorDataReceived += (_, e) =>
        {
            lock (worker._stderr)
            {
                worker._stderr.AppendLine(e.Data);
            }
        };
        worker._process.OutputDataReceived += (_, _) => { };
        worker._process.Start();
        worker._process.BeginErrorReadLine();
        worker._process.BeginOutputReadLine();
        return worker;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The process id (the <c>dotnet exec</c> host runs the CLI in-process).</summary>
    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string Error
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>SIGKILL: no finally blocks, no flush, no lease release.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
