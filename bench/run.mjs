// `npm run bench`: runs every benchmark in bench/ (each `bench/*.mjs` but this file), one after
// another, each in its own Node process, and passes their markdown through.
//
//   node bench/run.mjs                 all of them
//   node bench/run.mjs pagination      only those whose file name contains a given word
//   node bench/run.mjs --quick         BENCH_QUICK=1 for each (fewer runs; for trying things out)
//   node bench/run.mjs --list          names only
//
// A benchmark is a standalone script that prints markdown to stdout (a `##` heading, then
// tables) and exits 0; helpers live in bench/lib/ and are not run. The exit code is 1 if any
// benchmark failed.

import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { buildProfile, machine } from './lib/build-info.mjs';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const SELF = path.basename(fileURLToPath(import.meta.url));

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const words = args.filter((a) => !a.startsWith('--'));

const benchmarks = fs
  .readdirSync(DIR, { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.mjs') && e.name !== SELF && !e.name.startsWith('_'))
  .map((e) => e.name)
  .filter((name) => words.length === 0 || words.some((w) => name.includes(w)))
  .sort();

if (flags.has('--list')) {
  for (const b of benchmarks) console.log(b);
  process.exit(0);
}
if (benchmarks.length === 0) {
  console.error(`No benchmark matches ${words.join(', ')}.`);
  process.exit(1);
}

const profile = buildProfile();
console.log('# workos-native benchmarks');
console.log();
console.log(`${new Date().toISOString()} · ${machine()} · addon build: **${profile}**`);
if (profile !== 'release') {
  console.log();
  console.log('> The loaded addon is not a release build: run `npm run build` (or `npm run bench`) for meaningful numbers.');
}
console.log();

const failed = [];
for (const name of benchmarks) {
  const started = performance.now();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(DIR, name)], {
      stdio: 'inherit',
      env: flags.has('--quick') ? { ...process.env, BENCH_QUICK: '1' } : process.env,
    });
    child.on('close', (c, signal) => resolve(signal ? signal : c));
  });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    failed.push(name);
    console.log(`\n**${name} failed** (exit ${code}) after ${secs} s.\n`);
  } else {
    console.log(`_${name}: ${secs} s_\n`);
  }
}
if (failed.length) {
  console.error(`Failed: ${failed.join(', ')}`);
  process.exit(1);
}
