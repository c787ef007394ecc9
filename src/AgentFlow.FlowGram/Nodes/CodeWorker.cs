using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary>One warm Node.js process of the code-node pool; it runs one request at a time.</summary>
internal sealed class CodeWorker : IAsyncDisposable
{
    private const int StderrLines = 20;
    private readonly Process _process;
    private readonly Queue<string> _stderr = new();

    private CodeWorker(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_stderr)
            {
                if (_stderr.Count == StderrLines)
                {
                    _stderr.Dequeue();
                }

                _stderr.Enqueue(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public int Runs { get; private set; }

    /// <summary>When the worker last finished a run (<see cref="TimeProvider.GetTimestamp"/> units).</summary>
    public long IdleSince { get; set; }

    public bool HasExited => _process.HasExited;

    /// <summary>The process left on its own after sitting idle, before it read the request sent to it.</summary>
    public bool ExitedIdle => _process.HasExited && _process.ExitCode == CodeHost.IdleExitCode;

    /// <summary>Starts <c>node</c> with the permission model on and no grants, a heap limit, and the host script, and waits until it reads requests.</summary>
    /// <exception cref="FlowGramException">Node.js cannot be started or dies while starting.</exception>
    public static async Task<CodeWorker> StartAsync(string nodePath, int memoryMegabytes, int idleMilliseconds, CancellationToken cancellationToken)
    {
        var worker = Start(nodePath, memoryMegabytes, idleMilliseconds);
        try
        {
            using var kill = cancellationToken.Register(worker.Kill);
            var line = await worker._process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (line != CodeHost.Ready)
            {
                var crash = await worker.CrashedAsync(cancellationToken).ConfigureAwait(false);
                throw new FlowGramException($"Code execution failed: {crash.Error}");
            }

            return worker;
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static CodeWorker Start(string nodePath, int memoryMegabytes, int idleMilliseconds)
    {
        var start = new ProcessStartInfo(nodePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in (string[])["--experimental-permission", $"--max-old-space-size={memoryMegabytes}", "--no-warnings", "-e", CodeHost.Script(idleMilliseconds)])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            var process = Process.Start(start) ?? throw new FlowGramException("Code execution failed: node could not be started");
            process.StandardInput.NewLine = "\n";
            return new CodeWorker(process);
        }
        catch (Win32Exception ex)
        {
            throw new FlowGramException($"Code execution failed: Node.js ('{nodePath}') was not found; the code node needs it on PATH", ex);
        }
    }

    /// <summary>Sends one request and reads its answer; a process that dies first yields a crash answer.</summary>
    /// <remarks>Cancellation kills the process (the caller must then dispose it) and throws.</remarks>
    public async Task<CodeReply> SendAsync(string request, CancellationToken cancellationToken)
    {
        Runs++;
        lock (_stderr)
        {
            _stderr.Clear();
        }

        using var kill = cancellationToken.Register(Kill);
        string? line;
        try
        {
            await _process.StandardInput.WriteLineAsync(request.AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            line = await _process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The pipe broke because the process is gone: report it like an end of output.
            line = null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (line is null)
        {
            return await CrashedAsync(cancellationToken).ConfigureAwait(false);
        }

        var answer = JsonNode.Parse(line)!.AsObject();
        if (answer["ok"]?.GetValue<bool>() != true)
        {
            return new CodeReply(false, null, answer["error"]?.GetValue<string>(), Reusable: answer["discard"]?.GetValue<bool>() != true);
        }

        var value = answer.TryGetPropertyValue("value", out var node) ? Js.FromJson(node) : Js.Undefined;
        return new CodeReply(true, value, null, Reusable: answer["recycle"]?.GetValue<bool>() != true);
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        using (var reaped = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(reaped.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A process that ignores SIGKILL for 5 s is beyond our reach; do not hang the caller on it.
            }
        }

        _process.Dispose();
    }

    private async Task<CodeReply> CrashedAsync(CancellationToken cancellationToken)
    {
        // Waiting for the exit also drains the rest of stderr, which holds the reason.
        using (var drained = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            drained.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(drained.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Kill();
            }
        }

        string[] lines;
        lock (_stderr)
        {
            lines = [.. _stderr];
        }

        var reason = lines.Any(l => l.Contains("heap out of memory", StringComparison.Ordinal))
            ? "JavaScript heap out of memory"
            : lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)
                ?? (_process.HasExited ? $"node exited without output (exit code {_process.ExitCode})" : "node exited without output");
        return new CodeReply(false, null, reason, Reusable: false);
    }
}
