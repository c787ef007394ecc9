using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary>
/// Runs a script's <c>main({params})</c> in a Node.js child process: a fresh <c>vm</c> context without
/// <c>require</c>/<c>process</c>, Node's permission model with no grants (no file system, no child processes or
/// workers), a heap limit and a time limit. One process per execution.
/// </summary>
internal sealed class CodeRunner(string nodePath = "node", int memoryMegabytes = 64, int timeoutMilliseconds = 60_000)
{
    private const string Host = """
        const vm = require('node:vm');
        let input = '';
        process.stdin.setEncoding('utf8');
        process.stdin.on('data', (c) => { input += c; });
        let sent = false;
        const send = (o) => { sent = true; process.stdout.write(JSON.stringify(o)); };
        process.on('exit', () => { if (!sent) send({ ok: false, error: 'main returned a promise that never settles' }); });
        process.stdin.on('end', async () => {
          try {
            const { script, params, timeout } = JSON.parse(input);
            const context = vm.createContext(Object.create(null));
            context.__params = JSON.stringify(params);
            // Strict mode like the reference's wrapper (npm 1.0.9 prefixes the script with 'use strict').
            vm.runInContext("'use strict';\n" + script, context, { timeout, filename: 'eval.js' });
            if (vm.runInContext('typeof main', context) !== 'function') {
              return send({ ok: false, error: 'main function is required in the script' });
            }
            const value = await vm.runInContext('main({ params: JSON.parse(__params) })', context, { timeout });
            const plain = value !== null && typeof value === 'object' && !Array.isArray(value);
            send({ ok: true, plain, value });
          } catch (e) {
            send({ ok: false, error: (e && e.message) || String(e) });
          }
        });
        """;

    /// <summary>Runs the script; returns main's result (undefined when it returned nothing).</summary>
    /// <exception cref="FlowGramException"><c>Code execution failed: …</c>.</exception>
    public async Task<object?> RunAsync(string script, JsObject parameters, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(nodePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--experimental-permission", $"--max-old-space-size={memoryMegabytes}", "--no-warnings", "-e", Host])
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new FlowGramException("Code execution failed: node could not be started");
        }
        catch (Win32Exception ex)
        {
            throw new FlowGramException($"Code execution failed: Node.js ('{nodePath}') was not found; the code node needs it on PATH", ex);
        }

        using (process)
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // A grace second lets the vm's own limit report a synchronous endless loop; the kill covers async ones.
            limit.CancelAfter(timeoutMilliseconds + 1000);
            try
            {
                var request = new JsObject { ["script"] = script, ["params"] = parameters, ["timeout"] = (double)timeoutMilliseconds };
                await process.StandardInput.WriteAsync(Js.Stringify(request).AsMemory(), limit.Token).ConfigureAwait(false);
                process.StandardInput.Close();
                var output = await process.StandardOutput.ReadToEndAsync(limit.Token).ConfigureAwait(false);
                var error = await process.StandardError.ReadToEndAsync(limit.Token).ConfigureAwait(false);
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                if (output.Length == 0)
                {
                    throw new FlowGramException($"Code execution failed: {FirstLine(error)}");
                }

                var answer = JsonNode.Parse(output)!.AsObject();
                if (answer["ok"]?.GetValue<bool>() != true)
                {
                    throw new FlowGramException($"Code execution failed: {answer["error"]?.GetValue<string>()}");
                }

                var value = answer.TryGetPropertyValue("value", out var node) ? Js.FromJson(node) : Js.Undefined;
                return value;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FlowGramException("Code execution failed: timeout");
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "node exited without output";
}
