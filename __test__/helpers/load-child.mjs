// The client side of load.test.mjs, in its own process so that its sockets, memory and exit
// are its own. Writes one JSON line per report to stdout.
//
//   node [--expose-gc] load-child.mjs <mode> <port> [count] [seconds]
//
//   concurrent <port> <n>           n getOrganization calls at once; reports ok/failed/ms
//   leak <port> <n> [seconds]       warm-up, then n calls (32 at a time) or `seconds` of them,
//                                   with RSS after a GC at the start, every n/5 calls, and the end
//   list-leak <port> <n>            n list walks (for await, early break, autoPagination), RSS
//   exit <port>                     calls, a list walk left early, a failed call; then returns
//                                   without process.exit: the parent times the exit
//   worker <port>                   the same inside a Worker; reports the worker's exit

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const INDEX = require.resolve('../../index.js');
const { WorkOS } = require(INDEX);

const [mode, portText, countText, secondsText] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText ?? 0);
const seconds = Number(secondsText ?? 0);
const report = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const mb = () => Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;
// RSS less V8's heap (what V8 has reserved, young generation included): the memory outside V8,
// where the addon's allocations live. V8 grows its young generation (8 → 32 MiB on Node 20)
// under a sustained allocation rate, which moves RSS in steps without any leak.
const nativeMb = () => {
  const m = process.memoryUsage();
  return Math.round(((m.rss - m.heapTotal) / 1024 / 1024) * 10) / 10;
};
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 20));
  }
};

const client = (opts = {}) => new WorkOS('sk_test_load', { apiHostname: '127.0.0.1', port, https: false, ...opts });

/** `n` calls of `fn`, `width` at a time (or until `deadline`); returns how many ran. */
async function pool(n, width, fn, deadline = Infinity) {
  let started = 0;
  const lane = async () => {
    while (started < n && performance.now() < deadline) {
      started++;
      await fn();
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return started;
}

async function concurrent() {
  const workos = client();
  const t0 = performance.now();
  const results = await Promise.allSettled(Array.from({ length: count }, () => workos.organizations.getOrganization('org_1')));
  const failed = results.filter((r) => r.status === 'rejected');
  report({ type: 'done', ok: results.length - failed.length, failed: failed.length, firstError: failed[0] ? String(failed[0].reason?.message).slice(0, 200) : null, ms: Math.round(performance.now() - t0) });
}

async function leak() {
  const workos = client();
  const call = async () => {
    const org = await workos.organizations.getOrganization('org_1');
    if (org.id !== 'org_1') throw new Error('wrong answer');
  };
  await pool(3000, 32, call);
  await settle();
  const samples = [{ calls: 0, rss: mb(), native: nativeMb() }];
  const t0 = performance.now();
  const deadline = seconds > 0 ? t0 + seconds * 1000 : Infinity;
  const step = Math.max(1, Math.floor(count / 5));
  let done = 0;
  while (done < count && performance.now() < deadline) {
    done += await pool(Math.min(step, count - done), 32, call, deadline);
    await settle();
    samples.push({ calls: done, rss: mb(), native: nativeMb() });
    report({ type: 'sample', ...samples[samples.length - 1] });
  }
  report({ type: 'done', calls: done, ms: Math.round(performance.now() - t0), samples, heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1024 / 1024) });
}

async function listLeak() {
  const workos = client();
  let items = 0;
  const walk = async (i) => {
    const list = await workos.organizations.listOrganizations();
    if (i % 4 === 0) {
      items += (await list.autoPagination()).length;
    } else if (i % 4 === 1) {
      // Left after a few items: the pager may be fetching ahead.
      for await (const _ of list) if (++items % 5 === 0) break;
    } else {
      for await (const _ of list) items++;
    }
  };
  let walked = 0;
  const run = async (n) => {
    for (let k = 0; k < n; k++) await walk(walked++);
  };
  await run(100);
  await settle();
  const samples = [{ walks: 0, rss: mb() }];
  const step = Math.max(1, Math.floor(count / 5));
  for (let done = 0; done < count; done += step) {
    await Promise.all(Array.from({ length: 4 }, () => run(Math.ceil(step / 4))));
    await settle();
    samples.push({ walks: done + step, rss: mb() });
  }
  report({ type: 'done', walks: walked, items, samples });
}

/** A bit of everything a program does, then nothing left to do. */
async function work() {
  const workos = client({ maxRetries: 0, timeout: 2000 });
  for (let i = 0; i < 20; i++) await workos.organizations.getOrganization('org_1');
  await Promise.all(Array.from({ length: 50 }, () => workos.organizations.getOrganization('org_1')));
  const list = await workos.organizations.listOrganizations();
  for await (const _ of list) break; // a pager left while it may be fetching ahead
  await workos.organizations.getOrganization('missing').catch(() => {});
}

async function exitMode() {
  await work();
  report({ type: 'done', at: Date.now() });
  // Returns with nothing scheduled: the process must now exit by itself.
}

async function workerMode() {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { WorkOS } = require(workerData.index);
    const workos = new WorkOS('sk_test_load', { apiHostname: '127.0.0.1', port: workerData.port, https: false, maxRetries: 0, timeout: 2000 });
    (async () => {
      if (workerData.inFlight) {
        for (let i = 0; i < 200; i++) workos.organizations.getOrganization('org_1').catch(() => {});
        parentPort.postMessage({ started: true });
        return;
      }
      for (let i = 0; i < 20; i++) await workos.organizations.getOrganization('org_1');
      const list = await workos.organizations.listOrganizations();
      for await (const _ of list) break;
      parentPort.postMessage({ done: Date.now() });
    })().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
  `;
  const runWorker = (inFlight) =>
    new Promise((resolve) => {
      const w = new Worker(source, { eval: true, workerData: { port, index: INDEX, inFlight } });
      let message;
      w.on('message', (m) => {
        message = { ...m, receivedAt: Date.now() };
        if (m.started) w.terminate();
      });
      w.on('error', (e) => (message = { error: String(e?.stack ?? e) }));
      w.on('exit', (code) => resolve({ code, message, exitedAt: Date.now() }));
    });
  const plain = await runWorker(false);
  const both = await Promise.all([runWorker(false), runWorker(false)]);
  const terminated = [];
  for (let i = 0; i < 5; i++) terminated.push(await runWorker(true));
  // The main thread still has a working client after workers came and went.
  const workos = client({ maxRetries: 0 });
  const org = await workos.organizations.getOrganization('org_1');
  report({ type: 'done', plain, both, terminated: terminated.map((t) => t.code), mainAfter: org.id, at: Date.now() });
}

const modes = { concurrent, leak, 'list-leak': listLeak, exit: exitMode, worker: workerMode };
await modes[mode]();
