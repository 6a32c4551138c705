// HL7 v2 parse + field access benchmark: @hmi/connector-hl7v2 against @medplum/core (v4),
// hl7parser and node-hl7-client. Run on demand (not in tests):
//   pnpm --filter "@hmi/connector-hl7v2..." build && node --expose-gc bench/hl7/bench.mjs
// Options: --seconds=0.5 (per measurement), --rounds=7 (interleaved; the median is reported).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hl7Message as MedplumHl7Message } from '@medplum/core';
import hl7parser from 'hl7parser';
import { Message as NodeHl7Message } from 'node-hl7-client';
import { iterateHl7Batch, parseHl7, parseHl7Batch } from '../../packages/connector-hl7v2/dist/index.js';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const SECONDS = arg('seconds', 0.5);
const ROUNDS = arg('rounds', 7);

// The shared samples are read in place (licence: never copied). ADT-A01-02 is the ~2.4 KB ADT.
const specs = fileURLToPath(new URL('../../../shared/specs/hl7v2/', import.meta.url));
const adt = readFileSync(`${specs}ADT-A01-02.hl7`, 'utf8').replace(/\n/g, '\r');

// Ten fields, one of them (PV1-14) holding an escape sequence (`A\T\E` → `A&E`).
const FIELDS = [
  ['MSH', 9, 1, 1],
  ['MSH', 9, 2, 1],
  ['MSH', 10, 1, 1],
  ['PID', 3, 1, 1],
  ['PID', 5, 1, 1],
  ['PID', 5, 2, 1],
  ['PID', 8, 1, 1],
  ['PID', 11, 3, 1],
  ['PV1', 14, 1, 1],
  ['PV1', 19, 1, 1],
];
const hmiPaths = FIELDS.map(([s, f, c, sc]) => `${s}-${f}.${c}.${sc}`);
const dotPaths = FIELDS.map(([s, f, c, sc]) => `${s}.${f}.${c}.${sc}`);

const readers = {
  '@hmi/connector-hl7v2': (text) => {
    const m = parseHl7(text);
    return hmiPaths.map((p) => m.get(p) ?? '');
  },
  // Medplum counts subcomponents from 0.
  '@medplum/core 4': (text) => {
    const m = MedplumHl7Message.parse(text);
    return FIELDS.map(([s, f, c, sc]) => m.getSegment(s)?.getComponent(f, c, sc - 1) ?? '');
  },
  hl7parser: (text) => {
    const m = hl7parser.create(text);
    return dotPaths.map((p) => m.get(p).toString());
  },
  'node-hl7-client': (text) => {
    const m = new NodeHl7Message({ text });
    return dotPaths.map((p) => m.get(p).toString());
  },
};

function measure(fn, text, perCall = 1) {
  // Start each measurement from a clean heap so one parser's garbage is not billed to the next
  // (run with --expose-gc; without it the order of measurements adds noise).
  globalThis.gc?.();
  let n = 0;
  let sink = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 20; i++) sink += fn(text).length;
    n += 20;
  }
  const seconds = (performance.now() - started) / 1000;
  if (sink === 0) throw new Error('no fields read');
  return (n * perCall) / seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`Node ${process.version}; message ${Buffer.byteLength(adt)} bytes; ${FIELDS.length} fields read per message`);
console.log('\nValues read (PV1-14 shows whether escapes are decoded):');
for (const [name, fn] of Object.entries(readers)) {
  const values = fn(adt);
  console.log(`  ${name.padEnd(22)} PID-5.1.1=${values[4]}  MSH-9.2=${values[1]}  PV1-14=${values[8]}`);
}

// Batch: FHS/BHS + 100 messages + BTS/FTS, parsed once then every message read like above.
const BATCH = 100;
const batchText = [
  'FHS|^~\\&|BENCH|H|||20240101000000',
  'BHS|^~\\&|BENCH|H|||20240101000000',
  ...Array.from({ length: BATCH }, () => adt.replace(/\r+$/, '')),
  `BTS|${BATCH}`,
  'FTS|1',
].join('\r');
const batchReader = (text) => {
  const batch = parseHl7Batch(text);
  let out = 0;
  for (const m of batch.messages) for (const p of hmiPaths) out += (m.get(p) ?? '').length;
  return { length: out };
};
const streamReader = (text) => {
  let out = 0;
  for (const m of iterateHl7Batch(text)) for (const p of hmiPaths) out += (m.get(p) ?? '').length;
  return { length: out };
};
const BATCH_NAME = `@hmi parseHl7Batch (${BATCH} msgs/file, per message)`;
const STREAM_NAME = `@hmi iterateHl7Batch (${BATCH} msgs/file, per message)`;

// The machine is shared and noisy: every round measures every reader back to back (so they see the
// same load), and the table reports the median round; ratios are medians of per-round ratios.
for (const fn of Object.values(readers)) measure(fn, adt); // warm up
measure(batchReader, batchText, BATCH);
measure(streamReader, batchText, BATCH);
const rounds = [];
for (let round = 0; round < ROUNDS; round++) {
  const r = {};
  for (const [name, fn] of Object.entries(readers)) r[name] = measure(fn, adt);
  r[BATCH_NAME] = measure(batchReader, batchText, BATCH);
  r[STREAM_NAME] = measure(streamReader, batchText, BATCH);
  rounds.push(r);
}
const HMI = '@hmi/connector-hl7v2';
const names = [...Object.keys(readers), BATCH_NAME, STREAM_NAME];
const rate = Object.fromEntries(names.map((n) => [n, median(rounds.map((r) => r[n]))]));
const ratio = Object.fromEntries(names.map((n) => [n, median(rounds.map((r) => r[HMI] / r[n]))]));
const peers = Object.keys(readers).filter((n) => n !== HMI);
const fastestPeer = peers.reduce((a, b) => (rate[a] > rate[b] ? a : b));

console.log(`\nParse + read ${FIELDS.length} fields, median of ${ROUNDS} interleaved rounds × ${SECONDS}s:`);
console.log('| parser | msgs/s | hmi ÷ this |');
console.log('| --- | ---: | ---: |');
for (const name of [...names].sort((a, b) => rate[b] - rate[a])) {
  console.log(`| ${name} | ${Math.round(rate[name]).toLocaleString('en-US')} | ${ratio[name].toFixed(2)}× |`);
}
console.log(`\nhmi vs fastest peer (${fastestPeer}): ${ratio[fastestPeer].toFixed(2)}× (goal ≥ 2×)`);
console.log(
  `batch per message vs single: parseHl7Batch ${(1 / ratio[BATCH_NAME]).toFixed(2)}×, iterateHl7Batch ${(1 / ratio[STREAM_NAME]).toFixed(2)}× (goal ≥ 1×)`,
);

// One ~1 MB message: MSH, PID and OBX segments until past 1 MB.
const obx = (i) =>
  `OBX|${i}|TX|11526-1^Pathology study^LN||نص عربي \\T\\ line ${i} with some padding text to be realistic||||||F`;
const big = [adt.split('\r').slice(0, 4).join('\r')];
let size = big[0].length;
for (let i = 1; size < 1_048_576; i++) {
  const seg = obx(i);
  big.push(seg);
  size += Buffer.byteLength(seg) + 1;
}
const bigText = big.join('\r');
const bigBytes = Buffer.from(bigText);
const times = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  const m = parseHl7(bigBytes);
  const last = m.get(`OBX[${big.length - 1}]-5`);
  const all = m.getAll('OBX-5').length;
  times.push(performance.now() - t);
  if (!last?.includes('&') || all !== big.length - 1) throw new Error('1 MB check failed');
}
times.sort((a, b) => a - b);
console.log(
  `\n1 MB message (${(bigBytes.length / 1_048_576).toFixed(2)} MiB, ${big.length} segments) from bytes, parse + get last OBX-5 + getAll OBX-5: median ${times[5].toFixed(1)} ms, worst ${times[9].toFixed(1)} ms`,
);
