namespace AgentFlow.FlowGram.Nodes;

/// <summary>
/// The JavaScript a warm code-node process runs: it reads one request per stdin line and answers one JSON line per
/// request on stdout. Every request gets a fresh <c>vm</c> context (no <c>require</c>, no <c>process</c>, no timers,
/// no network APIs), so a run cannot see what an earlier run left behind.
/// </summary>
internal static class CodeHost
{
    /// <summary>The line a process writes once it reads requests.</summary>
    public const string Ready = "{\"ready\":true}";

    /// <summary>Exit code of a process that left after sitting idle, so the pool can tell it from a crash.</summary>
    public const int IdleExitCode = 75;

    /// <summary>The host program for <c>node -e</c>; <paramref name="idleMilliseconds"/> is how long it waits for work before it exits.</summary>
    public static string Script(int idleMilliseconds) => Template.Replace("__IDLE_MS__", idleMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    // The answer is sent from setImmediate, which runs only once the microtask queue is empty: every promise chain the
    // script started has then either settled or can never settle (a fresh context has no timers or I/O), and a script
    // that keeps the queue busy forever blocks its own answer (so it, not the next run, hits the time limit).
    // Cost per run: a context takes ~1 ms to create, so the next one is made while the process waits for work (each is
    // still used by one run only); each vm call with a timeout starts a watchdog thread (~0.5 ms), so the script and
    // the call of main are one compiled script (cached by source text: compiled code holds no state of a run), and the
    // result is serialised without a vm timeout (the caller's kill bounds a toJSON that never returns).
    private const string Template = """
        'use strict';
        const vm = require('node:vm');
        const v8 = require('node:v8');
        const compiled = new Map();
        let buffer = '';
        let idle;
        let spare;
        const fresh = () => vm.createContext(Object.create(null));
        const armIdle = () => { idle = setTimeout(() => process.exit(75), __IDLE_MS__); };
        const reply = (text) => {
          process.stdout.write(text + '\n');
          armIdle();
          setImmediate(() => { spare ??= fresh(); });
        };
        const failure = (e, discard) => {
          let message;
          try { message = (e && e.message) || String(e); } catch { message = 'error'; }
          return JSON.stringify({ ok: false, error: String(message), discard: !!discard });
        };
        const timedOut = (e) => { try { return !!e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'; } catch { return false; } };
        const heapHigh = () => { const h = v8.getHeapStatistics(); return h.used_heap_size > h.heap_size_limit / 2; };
        const compile = (source) => {
          let script = compiled.get(source);
          if (!script) {
            // Strict mode like the reference's wrapper (npm 1.0.9 prefixes the script with 'use strict'); the call of
            // main comes after the source, so positions in error messages stay those of the script.
            const call = "\n;typeof main === 'function' ? [main({ params: JSON.parse(__params) })] : [];";
            script = new vm.Script("'use strict';\n" + source + call, { filename: 'eval.js' });
            if (compiled.size >= 64) compiled.delete(compiled.keys().next().value);
            compiled.set(source, script);
          }
          return script;
        };
        const run = ({ script, params, timeout }) => {
          const context = spare ?? fresh();
          spare = undefined;
          let called;
          try {
            context.__params = params;
            called = compile(script).runInContext(context, { timeout });
          } catch (e) {
            return reply(failure(e, timedOut(e)));
          }
          if (called.length === 0) return reply(failure({ message: 'main function is required in the script' }));
          let outcome;
          Promise.resolve(called[0]).then((value) => { outcome = { value }; }, (error) => { outcome = { error }; });
          setImmediate(() => {
            if (!outcome) return reply(failure({ message: 'main returned a promise that never settles' }));
            if ('error' in outcome) return reply(failure(outcome.error));
            try {
              const value = outcome.value;
              const plain = value !== null && typeof value === 'object' && !Array.isArray(value);
              context.__result = value;
              const json = vm.runInContext('JSON.stringify(__result)', context);
              reply('{"ok":true,"plain":' + plain + ',"recycle":' + heapHigh() + (json === undefined ? '' : ',"value":' + json) + '}');
            } catch (e) {
              reply(failure(e));
            }
          });
        };
        // A script's stray rejected promise must not take the shared process down.
        process.on('unhandledRejection', () => {});
        process.stdin.setEncoding('utf8');
        process.stdin.on('end', () => process.exit(0));
        process.stdin.on('data', (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, end);
            buffer = buffer.slice(end + 1);
            clearTimeout(idle);
            run(JSON.parse(line));
          }
        });
        // No idle timer before the first request: the pool starts a process only to hand it a request at once.
        process.stdout.write('{"ready":true}\n');
        setImmediate(() => { spare ??= fresh(); });
        """;
}
