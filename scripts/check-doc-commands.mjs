#!/usr/bin/env node
// Runs the documented shell commands that are safe to run offline, exactly as written, so a guide
// never shows a command that fails. The TypeScript samples are checked by check-doc-samples.mjs;
// this covers the ```sh blocks.
//
// A block runs only when the line before its fence (blank lines aside) is the marker
//
//   <!-- ci: run -->               (or <!-- ci: run timeout=300 --> for a limit in seconds)
//
// which GitHub and typedoc do not render. Mark a block only when it needs no network, no account,
// no published package and no interaction, and is quick: CI runs every marked block on each push.
// Installs (`pnpm add …`, `npm create …`) are checked against the packed tarballs by
// scripts/pack-smoke.mjs instead; `npx vitest run <pkg>` blocks are already run by `npm test`.
//
// Each block runs from the repository root in `bash -e -o pipefail` (as a reader pasting it would,
// but stopping at the first failing line), with node_modules/.bin on PATH and a timeout (default
// 120 s; the block's process group is killed when it runs out). A failure names `<file>.md:<line>`
// and prints the end of its output.
//
//   node scripts/check-doc-commands.mjs            every marked block (`pnpm docs:commands`, in CI)
//   node scripts/check-doc-commands.mjs packages/cli   only files under these paths
//   node scripts/check-doc-commands.mjs --list     list the marked blocks without running them
//   node scripts/check-doc-commands.mjs --root=DIR  check another tree (the tests use one)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const listOnly = args.includes('--list');
const filters = args.filter((a) => !a.startsWith('--'));
// --root=<dir>: another tree laid out like this repository (the script's own tests use one).
const rootArg = args.find((a) => a.startsWith('--root='));
const root = rootArg ? rootArg.slice('--root='.length) : join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_TIMEOUT_S = 120;
const MARKER = /^<!--\s*ci:\s*run(?:\s+timeout=(\d+))?\s*-->$/;

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out;
}

function markdownFiles() {
  const files = [join(root, 'README.md'), ...walk(join(root, 'docs'))];
  for (const group of ['packages', 'examples']) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group))) files.push(join(root, group, name, 'README.md'));
  }
  return files.filter(
    (f) => existsSync(f) && (filters.length === 0 || filters.some((prefix) => relative(root, f).startsWith(prefix))),
  );
}

/** Marked ```sh / ```bash blocks: the code, the line of the fence, the timeout. */
function markedBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i].trim());
    if (!marker) continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    const open = /^(`{3,})\s*(sh|bash|shell)\s*$/.exec(lines[j] ?? '');
    if (!open) {
      blocks.push({ line: i + 1, error: 'the ci: run marker is not followed by a ```sh block' });
      continue;
    }
    const end = lines.findIndex((l, k) => k > j && l.trim() === open[1]);
    if (end < 0) {
      blocks.push({ line: j + 1, error: 'the block is not closed' });
      continue;
    }
    blocks.push({
      line: j + 1,
      code: lines.slice(j + 1, end).join('\n'),
      timeoutS: Number(marker[1] ?? DEFAULT_TIMEOUT_S),
    });
    i = end;
  }
  return blocks;
}

function runBlock(code, timeoutS) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', code], {
      cwd: root,
      detached: true, // its own process group, so a timeout ends what it started too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` },
    });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutS * 1000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, timedOut, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const found = [];
for (const file of markdownFiles()) {
  for (const block of markedBlocks(readFileSync(file, 'utf8'))) found.push({ file: relative(root, file), ...block });
}

let failures = 0;
for (const block of found) {
  const where = `${block.file}:${block.line}`;
  if (block.error) {
    failures++;
    console.error(`✗ ${where}: ${block.error}`);
    continue;
  }
  if (listOnly) {
    console.log(`${where} (timeout ${block.timeoutS} s)\n${block.code.replace(/^/gm, '  ')}`);
    continue;
  }
  const result = await runBlock(block.code, block.timeoutS);
  if (result.status === 0 && !result.timedOut) {
    console.log(`✓ ${where} (${result.seconds.toFixed(1)} s)`);
    continue;
  }
  failures++;
  const why = result.timedOut ? `timed out after ${block.timeoutS} s` : `exited ${result.status}`;
  console.error(`✗ ${where} ${why}; the end of its output:\n${result.output.replace(/^/gm, '    ')}`);
}

if (found.length === 0) {
  console.error(`doc commands: no block is marked <!-- ci: run -->${filters.length ? ` under ${filters.join(', ')}` : ''}`);
  process.exit(filters.length ? 0 : 1);
}
if (failures > 0) {
  console.error(`doc commands: ${failures} of ${found.length} marked blocks failed`);
  process.exit(1);
}
console.log(`doc commands: ${found.length} marked shell blocks ${listOnly ? 'found' : 'ran as written'}`);
