#!/usr/bin/env node
// Runs FlowGram workflow cases through the npm reference runtime (@flowgram.ai/runtime-js, pinned in
// package.json) in-process and prints one normalised JSON object per case (one line each) to stdout.
//
//   node run-case.mjs <case.json | dir> [...]        print normalised results (JSON lines)
//   node run-case.mjs --write <dir> [--out <dir>]    also write <out>/<case>.json (default ../expected)
//   node run-case.mjs --serve                        only start the mock servers; print the placeholder values
//
// Placeholders substituted in the case text before running (and mapped back in the output):
//   {{MOCK_LLM}}    base URL of a local OpenAI-compatible mock (POST /chat/completions)
//   {{MOCK_HTTP}}   base URL of a local HTTP echo/status server (see README)
//   {{MOCK_HTTP_HOST}} the same server as host:port (for URL templates such as http://{{start_0.host}}/x)
//   {{CLOSED_PORT}} a loopback port that was bound and released, so connections are refused
// The runtime logs to console.*; all of that is sent to stderr so stdout stays machine-readable.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';

for (const k of ['log', 'info', 'warn', 'error', 'debug']) {
  console[k] = (...a) => process.stderr.write(a.map((x) => (typeof x === 'string' ? x : safeStr(x))).join(' ') + '\n');
}
function safeStr(x) {
  try { return JSON.stringify(x); } catch { return String(x); }
}

const { TaskRunAPI, TaskReportAPI, TaskResultAPI, TaskCancelAPI, TaskValidateAPI } = await import('@flowgram.ai/runtime-js');

// ---------------------------------------------------------------- mock servers
function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

// FlowGram's own test mock text (js-core __tests__/executor/llm.ts), built from the request.
const llmServer = http.createServer(async (req, res) => {
  res.sendDate = false;
  const raw = await readBody(req);
  if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
    res.writeHead(404, { 'content-type': 'application/json' });
    return res.end('{"error":{"message":"not found"}}');
  }
  const body = JSON.parse(raw || '{}');
  const msgs = body.messages ?? [];
  const systemPrompt = msgs.find((m) => m.role === 'system')?.content;
  const prompt = msgs.filter((m) => m.role === 'user').map((m) => m.content).at(-1);
  const content = `Hi, I am an AI model, my name is ${body.model}, temperature is ${body.temperature}, system prompt is "${systemPrompt}", prompt is "${prompt}"`;
  const out = JSON.stringify({
    id: 'chatcmpl-mock', object: 'chat.completion', created: 0, model: body.model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
  res.end(out);
});

// HTTP echo server. Every response body is a JSON echo of the request, keys sorted:
// {method, path, query:{k:v}, headers:{content-type, authorization, x-*}, body:<text> | parts:{name:value}}
// Routes: /status/<code> answers with that status (204/304: no body, no content-length); /delay/<ms> waits first; /text answers text/plain "hello";
// anything else answers 200. Responses carry `connection: close` (so the header set does not depend on the client's
// keep-alive handling) and no `date`.
const httpServer = http.createServer(async (req, res) => {
  res.sendDate = false;
  const raw = await readBody(req);
  const url = new URL(req.url, 'http://x');
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'content-type' || k === 'authorization' || k.startsWith('x-')) headers[k] = v;
  }
  const echo = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers };
  const ct = req.headers['content-type'] ?? '';
  if (ct.startsWith('multipart/form-data')) {
    headers['content-type'] = 'multipart/form-data'; // boundary is random
    const boundary = ct.split('boundary=')[1];
    const parts = {};
    for (const p of raw.split('--' + boundary)) {
      const m = p.match(/name="([^"]*)"\r\n\r\n([\s\S]*)\r\n$/);
      if (m) parts[m[1]] = m[2];
    }
    echo.parts = parts;
  } else {
    echo.body = raw;
  }
  let status = 200;
  let m;
  if ((m = url.pathname.match(/^\/status\/(\d{3})$/))) status = Number(m[1]);
  if ((m = url.pathname.match(/^\/delay\/(\d+)$/))) await new Promise((r) => setTimeout(r, Number(m[1])));
  if (url.pathname === '/text') {
    res.writeHead(200, { connection: 'close', 'content-type': 'text/plain', 'content-length': 5, 'x-mock': '1' });
    return res.end('hello');
  }
  if (status === 204 || status === 304) {
    res.writeHead(status, { connection: 'close', 'x-mock': '1' });
    return res.end();
  }
  const out = JSON.stringify(sortKeys(echo));
  res.writeHead(status, { connection: 'close', 'content-type': 'application/json', 'content-length': Buffer.byteLength(out), 'x-mock': '1' });
  res.end(out);
});

const llmPort = await listen(llmServer);
const httpPort = await listen(httpServer);
const closedPort = await new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const subst = [
  ['{{MOCK_LLM}}', `http://127.0.0.1:${llmPort}`],
  ['{{MOCK_HTTP}}', `http://127.0.0.1:${httpPort}`],
  ['{{MOCK_HTTP_HOST}}', `127.0.0.1:${httpPort}`],
  ['{{CLOSED_PORT}}', String(closedPort)],
];

// ---------------------------------------------------------------- running a case
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function normaliseSnapshot(s) {
  const o = { inputs: s.inputs, outputs: s.outputs, data: s.data };
  if (s.branch !== undefined) o.branch = s.branch;
  if (s.error !== undefined) o.error = s.error;
  return o;
}

function normaliseReport(report) {
  const nodes = {};
  for (const id of Object.keys(report?.reports ?? {}).sort()) {
    const r = report.reports[id];
    nodes[id] = { status: r.status, snapshots: (r.snapshots ?? []).map(normaliseSnapshot) };
  }
  const error = (report?.messages?.error ?? []).map((m) => (m.nodeID !== undefined ? { nodeID: m.nodeID, message: m.message } : { message: m.message }));
  return { nodes, error };
}

async function waitTerminated(taskID, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await TaskReportAPI({ taskID });
    if (report?.workflowStatus?.terminated || Date.now() > deadline) return report;
    await sleep(5);
  }
}

async function runCase(file) {
  let text = fs.readFileSync(file, 'utf8');
  for (const [k, v] of subst) text = text.split(k).join(v);
  const c = JSON.parse(text);
  const name = c.name ?? path.basename(file, '.json');
  const out = { case: name };
  const schemaText = JSON.stringify(c.schema);
  const inputs = c.inputs ?? {};

  if (c.kind === 'validate') {
    const v = await TaskValidateAPI({ schema: schemaText, inputs });
    out.validate = { valid: v.valid, errors: v.errors ?? [] };
  }

  let taskID;
  try {
    ({ taskID } = await TaskRunAPI({ schema: schemaText, inputs }));
  } catch (e) {
    // TaskRun throws for schemas whose document cannot be built (§1.2/§1.3); no task exists.
    out.runError = e?.message ?? String(e);
    return out;
  }

  if (c.kind === 'cancel') {
    // Cancel once the given node is running, then let in-flight work settle before reporting.
    const { whenNodeProcessing, settleMs = 0 } = c.cancel ?? {};
    const deadline = Date.now() + 10000;
    for (;;) {
      const r = await TaskReportAPI({ taskID });
      if (r?.reports?.[whenNodeProcessing]?.status === 'processing' || r?.workflowStatus?.terminated || Date.now() > deadline) break;
      await sleep(2);
    }
    out.cancel = await TaskCancelAPI({ taskID });
    await sleep(settleMs);
  }

  let report = await waitTerminated(taskID, c.timeoutMs ?? 30000);
  if (c.kind !== 'cancel' && c.settleMs) {
    // Let in-flight sibling work finish after termination, then report again (its results must stay discarded).
    await sleep(c.settleMs);
    report = await TaskReportAPI({ taskID });
  }
  const result = await TaskResultAPI({ taskID });
  const { nodes, error } = normaliseReport(report);
  out.status = report?.workflowStatus?.status ?? null;
  out.result = result === undefined ? null : result;
  out.messages = { error };
  out.nodes = nodes;
  return out;
}

function mapBack(json) {
  let s = json;
  for (const [k, v] of subst) {
    if (k === '{{CLOSED_PORT}}') s = s.split(`127.0.0.1:${v}`).join(`127.0.0.1:${k}`);
    else s = s.split(v).join(k);
  }
  return s;
}

// ---------------------------------------------------------------- CLI
const args = process.argv.slice(2);
if (args[0] === '--serve') {
  // Only run the mock servers (for another runtime under test): print the placeholder values as one JSON line,
  // then serve until stdin closes or the process is terminated.
  process.stdout.write(JSON.stringify(Object.fromEntries(subst)) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  await new Promise(() => {});
}
let writeDir = null;
const targets = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--write') writeDir = true;
  else if (args[i] === '--out') writeDir = args[++i];
  else targets.push(args[i]);
}
if (targets.length === 0) {
  process.stderr.write('usage: node run-case.mjs [--write [--out <dir>]] <case.json|dir>...\n');
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const outDir = writeDir === true ? path.join(here, '..', 'expected') : writeDir;
const files = targets.flatMap((t) =>
  fs.statSync(t).isDirectory() ? fs.readdirSync(t).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(t, f)) : [t],
);
let failures = 0;
for (const f of files) {
  let line;
  try {
    line = mapBack(JSON.stringify(await runCase(f)));
  } catch (e) {
    failures++;
    process.stderr.write(`case ${f} crashed: ${e?.stack ?? e}\n`);
    continue;
  }
  process.stdout.write(line + '\n');
  if (outDir) {
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, path.basename(f)), JSON.stringify(JSON.parse(line), null, 2) + '\n');
  }
}
llmServer.close();
httpServer.close();
// Cancelled tasks may leave timers behind; exit explicitly.
process.exit(failures ? 1 : 0);
