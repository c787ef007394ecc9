#!/usr/bin/env node
// Writes the benchmark workflows to schemas/*.json (run once after editing; the JSON files are committed).
// Every node kind here runs without I/O on both runtimes: start, end, loop, block-start, block-end. FlowGram has no
// "pass-through" node, so a loop over a one-item array is the unit of work of the chain and of the fan-out:
// it resolves its inputs, runs its body (block-start -> block-end) once and aggregates an output that the next node
// references. Code nodes are left out on purpose (they would measure Node.js process work, not the engine). AgentFlow
// does not run a loop body's plain block-start/block-end (their snapshots are made when a report is read), so
// loop-condition-100 puts a condition node in the body: nodes that both runtimes really run per iteration.
import fs from 'node:fs';

const pos = (x) => ({ position: { x: x * 100, y: 0 } });
const stringArray = { type: 'array', items: { type: 'string' } };

// A loop whose body is block-start -> block-end and whose output `items` collects `<id>_locals.item` per iteration.
function loop(id, loopFor, extraOutputs = {}) {
  return {
    id,
    type: 'loop',
    meta: pos(0),
    data: {
      title: id,
      loopFor: { type: 'ref', content: loopFor },
      loopOutputs: { items: { type: 'ref', content: [`${id}_locals`, 'item'] }, ...extraOutputs.values },
      outputs: { type: 'object', properties: { items: extraOutputs.itemsType ?? stringArray, ...extraOutputs.types } },
    },
    blocks: [
      { id: `${id}_block_start`, type: 'block-start', meta: pos(1), data: {} },
      { id: `${id}_block_end`, type: 'block-end', meta: pos(2), data: {} },
    ],
    edges: [{ sourceNodeID: `${id}_block_start`, targetNodeID: `${id}_block_end` }],
  };
}

function start(outputs) {
  return { id: 'start_0', type: 'start', meta: pos(0), data: { title: 'Start', outputs: { type: 'object', properties: outputs } } };
}

function end(inputsValues, inputs) {
  return { id: 'end_0', type: 'end', meta: pos(99), data: { title: 'End', inputsValues, inputs: { type: 'object', properties: inputs } } };
}

function chain(length) {
  const loops = Array.from({ length }, (_, i) => loop(`loop_${i + 1}`, i === 0 ? ['start_0', 'items'] : [`loop_${i}`, 'items']));
  const last = `loop_${length}`;
  const nodes = [start({ items: stringArray }), ...loops, end({ items: { type: 'ref', content: [last, 'items'] } }, { items: stringArray })];
  const ids = nodes.map((n) => n.id);
  return {
    name: 'chain-20',
    note: `start -> ${length} loops (each over a one-item array, body block-start -> block-end, output = the items it saw) -> end: ${nodes.length} top-level nodes, ${length} loop iterations`,
    inputs: { items: ['hello'] },
    schema: { nodes, edges: ids.slice(1).map((id, i) => ({ sourceNodeID: ids[i], targetNodeID: id })) },
  };
}

function loop100(iterations) {
  const numbers = { type: 'array', items: { type: 'integer' } };
  const body = loop('loop_0', ['start_0', 'items'], {
    itemsType: numbers,
    values: { indexes: { type: 'ref', content: ['loop_0_locals', 'index'] } },
    types: { indexes: numbers },
  });
  return {
    name: 'loop-100',
    note: `start -> one loop over ${iterations} integers (body block-start -> block-end; outputs items and indexes) -> end`,
    inputs: { items: Array.from({ length: iterations }, (_, i) => i * 3) },
    schema: {
      nodes: [
        start({ items: numbers }),
        body,
        end(
          { items: { type: 'ref', content: ['loop_0', 'items'] }, indexes: { type: 'ref', content: ['loop_0', 'indexes'] } },
          { items: numbers, indexes: numbers },
        ),
      ],
      edges: [
        { sourceNodeID: 'start_0', targetNodeID: 'loop_0' },
        { sourceNodeID: 'loop_0', targetNodeID: 'end_0' },
      ],
    },
  };
}

// loop100's loop with a condition in its body: block-start -> condition (item >= 0, always true) -> block-end.
function loopCondition100(iterations) {
  const workflow = loop100(iterations);
  const body = workflow.schema.nodes[1];
  body.blocks.splice(1, 0, {
    id: 'loop_0_condition',
    type: 'condition',
    meta: pos(1.5),
    data: {
      title: 'Condition',
      conditions: [{ key: 'if_0', value: { left: { type: 'ref', content: ['loop_0_locals', 'item'] }, operator: 'gte', right: { type: 'constant', content: 0 } } }],
    },
  });
  body.edges = [
    { sourceNodeID: 'loop_0_block_start', targetNodeID: 'loop_0_condition' },
    { sourceNodeID: 'loop_0_condition', targetNodeID: 'loop_0_block_end', sourcePortID: 'if_0' },
  ];
  return {
    ...workflow,
    name: 'loop-condition-100',
    note: `start -> one loop over ${iterations} integers (body block-start -> condition item >= 0 -> block-end; outputs items and indexes) -> end`,
  };
}

function fanOut(width) {
  const branches = Array.from({ length: width }, (_, i) => loop(`branch_${i + 1}`, ['start_0', 'items']));
  const inputsValues = Object.fromEntries(branches.map((b) => [b.id, { type: 'ref', content: [b.id, 'items'] }]));
  const inputs = Object.fromEntries(branches.map((b) => [b.id, stringArray]));
  return {
    name: 'fanout-50',
    note: `start -> ${width} parallel loops (each over a one-item array) -> end, which waits for all ${width} and collects their outputs`,
    inputs: { items: ['hello'] },
    schema: {
      nodes: [start({ items: stringArray }), ...branches, end(inputsValues, inputs)],
      edges: branches.flatMap((b) => [
        { sourceNodeID: 'start_0', targetNodeID: b.id },
        { sourceNodeID: b.id, targetNodeID: 'end_0' },
      ]),
    },
  };
}

const dir = new URL('./schemas/', import.meta.url);
fs.mkdirSync(dir, { recursive: true });
for (const workflow of [chain(18), loop100(100), loopCondition100(100), fanOut(50)]) {
  fs.writeFileSync(new URL(`${workflow.name}.json`, dir), JSON.stringify(workflow, null, 2) + '\n');
}
