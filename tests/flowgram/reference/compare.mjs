#!/usr/bin/env node
// Compares normalised outputs against the expected directory.
//
//   node compare.mjs <expected-dir> <actual>      actual = a JSON-lines file, a directory of <case>.json, or - (stdin)
//
// Objects are compared without regard to key order, arrays in order, numbers by value. Prints one line per case
// (PASS, FAIL with the first differing paths, or MISSING), then a summary; exit code 1 if anything failed or is missing.
import fs from 'node:fs';
import path from 'node:path';

const [expectedDir, actualArg] = process.argv.slice(2);
if (!expectedDir || !actualArg) {
  process.stderr.write('usage: node compare.mjs <expected-dir> <actual.jsonl|actual-dir|->\n');
  process.exit(2);
}

function loadActual(arg) {
  const out = new Map();
  if (arg !== '-' && fs.statSync(arg).isDirectory()) {
    for (const f of fs.readdirSync(arg).filter((f) => f.endsWith('.json'))) {
      const o = JSON.parse(fs.readFileSync(path.join(arg, f), 'utf8'));
      out.set(o.case ?? path.basename(f, '.json'), o);
    }
    return out;
  }
  const text = fs.readFileSync(arg === '-' ? 0 : arg, 'utf8');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line);
    out.set(o.case, o);
  }
  return out;
}

function diff(a, b, p, acc) {
  if (acc.length >= 5) return acc;
  const ta = Array.isArray(a) ? 'array' : a === null ? 'null' : typeof a;
  const tb = Array.isArray(b) ? 'array' : b === null ? 'null' : typeof b;
  if (ta !== tb) {
    acc.push(`${p}: expected ${JSON.stringify(a)} but got ${JSON.stringify(b)}`);
  } else if (ta === 'array') {
    if (a.length !== b.length) acc.push(`${p}: expected ${a.length} elements but got ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diff(a[i], b[i], `${p}[${i}]`, acc);
  } else if (ta === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in b)) acc.push(`${p}.${k}: missing (expected ${JSON.stringify(a[k])})`);
      else if (!(k in a)) acc.push(`${p}.${k}: unexpected ${JSON.stringify(b[k])}`);
      else diff(a[k], b[k], `${p}.${k}`, acc);
      if (acc.length >= 5) break;
    }
  } else if (a !== b) {
    acc.push(`${p}: expected ${JSON.stringify(a)} but got ${JSON.stringify(b)}`);
  }
  return acc;
}

const actual = loadActual(actualArg);
let pass = 0;
let fail = 0;
let missing = 0;
for (const f of fs.readdirSync(expectedDir).filter((f) => f.endsWith('.json')).sort()) {
  const exp = JSON.parse(fs.readFileSync(path.join(expectedDir, f), 'utf8'));
  const name = exp.case ?? path.basename(f, '.json');
  if (!actual.has(name)) {
    missing++;
    console.log(`MISSING ${name}`);
    continue;
  }
  const d = diff(exp, actual.get(name), '$', []);
  if (d.length === 0) {
    pass++;
    console.log(`PASS ${name}`);
  } else {
    fail++;
    console.log(`FAIL ${name}\n  ${d.join('\n  ')}`);
  }
}
console.log(`\n${pass} passed, ${fail} failed, ${missing} missing`);
process.exit(fail || missing ? 1 : 0);
