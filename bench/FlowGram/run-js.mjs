#!/usr/bin/env node
// The runtime-js side of the FlowGram benchmark, in one warm Node.js process:
//   node run-js.mjs [--warmup-seconds 2] [--seconds 5] [--with-report false] schemas/chain-20.json [...]
// For each workflow file: one run whose result is printed for the cross-runtime check, warm-up runs, then timed runs
// for the given time. A run = TaskRunAPI -> wait until the task's processing promise settles -> TaskResultAPI, one run
// at a time; with --with-report true a run also reads the task's report (TaskReportAPI) after its result. Prints on
// stdout one check line per workflow first, {name, status, result}, from a run before any timing (so a caller can
// compare results before it trusts the figures), then one timing line per workflow,
// {name, runs, seconds, cpuSeconds} (CPU time of the whole process, all threads, during the timed runs).
import fs from 'node:fs';

// runtime-js logs every API call and every finished task with console.log. Writing that out would measure the
// terminal, so it is swallowed; its "Task finished" line is the only completion signal the public API gives without
// polling (TaskRunAPI returns before the task ends), so it resolves the waiting run.
const finished = new Map();
console.log = (...args) => {
  if (args[0] === '> LOG Task finished: ') {
    finished.get(args[1])?.();
    finished.delete(args[1]);
  }
};
console.info = console.warn = console.debug = () => {};
const { TaskRunAPI, TaskResultAPI, TaskReportAPI } = await import('@flowgram.ai/runtime-js');

const options = { 'warmup-seconds': '2', seconds: '5', 'with-report': 'false' };
const files = [];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg.startsWith('--')) options[arg.slice(2)] = process.argv[++i];
  else files.push(arg);
}

async function runOnce(schema, inputs) {
  const { taskID } = await TaskRunAPI({ schema, inputs });
  // processing settles in a microtask at the earliest, after TaskRunAPI has returned, so registering here is never late.
  await new Promise((resolve) => finished.set(taskID, resolve));
  const result = await TaskResultAPI({ taskID });
  if (withReport) await TaskReportAPI({ taskID });
  return { taskID, result };
}

async function timed(schema, inputs, seconds) {
  let runs = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    await runOnce(schema, inputs);
    runs++;
    elapsed = process.hrtime.bigint() - started;
  }
  const used = process.cpuUsage(cpu);
  return { runs, seconds: Number(elapsed) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
}

const withReport = options['with-report'] === 'true';
const workflows = files.map((file) => {
  const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { name: workflow.name, schema: JSON.stringify(workflow.schema), inputs: workflow.inputs };
});
for (const { name, schema, inputs } of workflows) {
  const { taskID, result } = await runOnce(schema, inputs);
  const status = (await TaskReportAPI({ taskID }))?.workflowStatus?.status;
  process.stdout.write(JSON.stringify({ name, status, result }) + '\n');
}
for (const { name, schema, inputs } of workflows) {
  await timed(schema, inputs, Number(options['warmup-seconds']));
  const { runs, seconds, cpuSeconds } = await timed(schema, inputs, Number(options.seconds));
  process.stdout.write(JSON.stringify({ name, runs, seconds, cpuSeconds }) + '\n');
}
