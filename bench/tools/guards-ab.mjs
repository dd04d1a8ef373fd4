// Paired comparison of two versions of the guards, or of any two of bench/guards.mjs's apps: the
// CPU time each spends per request while both are loaded at the same time, so that the drift of
// this shared machine (±20 % over tens of seconds) falls on both alike. Each run starts four app
// processes, two of each, in the order A B B A or B A A B (alternating from run to run: where an
// app sits changes its figure by 2-3 %, which only balanced positions cancel), loads all four at
// once in rounds, and reports A's CPU per request over B's. The README's "paired" figures for
// the guards come from this. It is not part of `npm run bench`: it needs two versions.
//
//   node bench/tools/guards-ab.mjs A B [runs]          (6 runs unless given)
//
// A and B: a directory holding a copy of workos-native (made from a checkout and a build with
// `mkdir /tmp/a && cp -r index.js native.js package.json lib *.node /tmp/a/`), or one of
// bench/guards.mjs's apps (native, seed, none, noop, touch, file:/path/to/app.mjs).
// Environment: AB_ROUNDS (10 a run), AB_MS (3000 per round), AB_WARM_MS (8000),
// AB_CONNECTIONS (30 per app).

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { forkChild } from '../lib/children.mjs';
import { MEMBERS, requestsFor } from '../lib/guards-fixture.mjs';
import { firstResponse } from '../lib/http-frames.mjs';

const GUARDS = fileURLToPath(new URL('../guards.mjs', import.meta.url));

const [a, b, runsArg] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/tools/guards-ab.mjs A B [runs]  (A, B: a package copy directory or a guards.mjs app)');
  process.exit(2);
}
const RUNS = Number(runsArg ?? 6);
const ROUNDS = Number(process.env.AB_ROUNDS ?? 10);
const MS = Number(process.env.AB_MS ?? 3000);
const WARM_MS = Number(process.env.AB_WARM_MS ?? 8000);
const CONNECTIONS = Number(process.env.AB_CONNECTIONS ?? 30);

/** The environment of an app process for `what`. A package copy loads its own addon, so an
 *  override of the addon's path is dropped for it. */
function appEnv(what) {
  const env = { ...process.env, GUARDS_BENCH_ROLE: 'app' };
  if (fs.existsSync(what) && fs.statSync(what).isDirectory()) {
    const index = path.resolve(what, 'index.js');
    if (!fs.existsSync(index)) throw new Error(`${what}: no index.js (a copy of workos-native is expected)`);
    delete env.NAPI_RS_NATIVE_LIBRARY_PATH;
    return { ...env, GUARDS_BENCH_VARIANT: 'native', GUARDS_BENCH_PACKAGE: index };
  }
  return { ...env, GUARDS_BENCH_VARIANT: what };
}

const child = (env) => forkChild(GUARDS, env, env.GUARDS_BENCH_ROLE);

/** Keeps CONNECTIONS keep-alive connections to `port` busy for `ms`, one request in flight on
 *  each, cycling through the members; resolves with the responses counted by class. */
function load(port, ms) {
  const requests = requestsFor(port);
  const end = Date.now() + ms;
  let next = 0;
  const counts = { ok: 0, other: 0, errors: 0 };
  const connection = () =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      let buffered = Buffer.alloc(0);
      const send = () => socket.write(requests[next++ % MEMBERS]);
      socket.on('connect', send);
      socket.on('error', () => {
        counts.errors++;
        resolve();
      });
      socket.on('data', (chunk) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        for (;;) {
          const response = firstResponse(buffered);
          if (response === null) return;
          counts[response.status >= 200 && response.status < 300 ? 'ok' : 'other']++;
          buffered = buffered.subarray(response.total);
          if (Date.now() < end) send();
          else {
            socket.end();
            resolve();
            return;
          }
        }
      });
    });
  return Promise.all(Array.from({ length: CONNECTIONS }, connection)).then(() => counts);
}

const cpuOf = async (app) => {
  const { cpu } = await app.ask({ cpu: true }, (m) => m.cpu);
  return cpu.user + cpu.system;
};

/** One run: the apps of `order` loaded together; each one's CPU microseconds per request. */
async function run(order) {
  const api = child({ ...process.env, GUARDS_BENCH_ROLE: 'api', GUARDS_BENCH_API_PORTS: String(order.length) });
  const apps = [];
  try {
    const { ports: apiPorts } = await api.wait((m) => m.ready);
    for (const [i, what] of order.entries()) {
      const app = child({ ...appEnv(what), GUARDS_BENCH_API_PORT: String(apiPorts[i]) });
      apps.push(app);
      app.port = (await app.wait((m) => m.ready)).port;
    }
    await Promise.all(apps.map((app) => load(app.port, WARM_MS)));
    const totals = apps.map(() => ({ cpu: 0, requests: 0 }));
    for (let r = 0; r < ROUNDS; r++) {
      const before = await Promise.all(apps.map(cpuOf));
      const served = await Promise.all(apps.map((app) => load(app.port, MS)));
      const after = await Promise.all(apps.map(cpuOf));
      served.forEach((c, i) => {
        if (c.other || c.errors) throw new Error(`${order[i]}: ${c.other} responses not 2xx, ${c.errors} socket errors`);
        totals[i].cpu += after[i] - before[i];
        totals[i].requests += c.ok;
      });
    }
    return totals.map((t) => t.cpu / t.requests);
  } finally {
    await Promise.all([...apps, api].map((p) => p.stop()));
  }
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
// Student's t for a two-sided 95 % interval, by degrees of freedom (1-10; 2.0 beyond).
const T95 = [NaN, 12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23];

const rows = [];
for (let r = 0; r < RUNS; r++) {
  const order = r % 2 === 0 ? [a, b, b, a] : [b, a, a, b];
  const us = await run(order);
  const of = (what) => mean(us.filter((_, i) => order[i] === what));
  rows.push({ a: of(a), b: of(b) });
  console.error(`run ${r + 1}/${RUNS}: A ${of(a).toFixed(1)} µs, B ${of(b).toFixed(1)} µs, A/B ${(of(a) / of(b)).toFixed(4)}`);
}

const ratios = rows.map((x) => x.a / x.b);
const m = mean(ratios);
const sd = Math.sqrt(ratios.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, ratios.length - 1));
const half = (T95[ratios.length - 1] ?? 2.0) * (sd / Math.sqrt(ratios.length));
console.log(`## Guards, paired: A = \`${a}\`, B = \`${b}\`\n`);
console.log(`${RUNS} runs of four apps (A B B A, then B A A B), ${CONNECTIONS} connections each, ${ROUNDS} rounds of ${MS} ms after ${WARM_MS} ms of warm-up; node ${process.version}.\n`);
console.log('| run | A: CPU µs / request | B: CPU µs / request | A/B |');
console.log('| ---: | ---: | ---: | ---: |');
rows.forEach((x, i) => console.log(`| ${i + 1} | ${x.a.toFixed(1)} | ${x.b.toFixed(1)} | ${(x.a / x.b).toFixed(4)} |`));
console.log(`\nA/B: ${m.toFixed(4)}${ratios.length > 1 ? ` (95 % interval ${(m - half).toFixed(4)}–${(m + half).toFixed(4)})` : ''}: ${m < 1 ? 'A spends less CPU per request' : 'A spends more CPU per request'}.`);
process.exit(0);
