// Hostile input from JavaScript, generated: every public entry point (the methods of
// workos.organizations, .userManagement and .auditLogs found by reflection, the WorkOS
// constructor, createGuards and its factories and middleware, loadSealedSession and the
// CookieSession methods and fields) gets, in every argument position and every field of its
// option objects, wrong types, null/undefined, huge strings, 10_000-deep and cyclic objects,
// symbols, bigints, functions, throwing proxies and getters, objects with 1e6 keys, sparse
// arrays… (helpers/hostile-input-child.mjs lists them all).
//
// The walk runs in a child process, so a crash or an abort is seen (and the call in flight
// named). For each entry point, every call must:
//   - settle: an async method returns a promise (never throws synchronously) that settles;
//   - fail, when it fails, with a TypeError, one of the SDK's exception classes, the SDK's
//     `Error('Unexpected error: …')`, one of its documented plain errors, or the very error the
//     hostile getter/proxy threw: never anything else, never an unhandled rejection;
//   - send nothing when the input was refused as bad (TypeError);
//   - send only to the method's own paths, with no injected header.
// Middleware: a request that the baseline denies stays denied whatever the hostile value, and
// every request is answered exactly once.
//
// LONG=1 puts every hostile value (10 MB strings, 10 MB buffers, 1e6-key objects) in every
// position; by default the costly ones go to the top-level arguments or a sample of positions.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const LONG = process.env.LONG === '1';
const CHILD = fileURLToPath(new URL('./helpers/hostile-input-child.mjs', import.meta.url));
const require = createRequire(import.meta.url);

/** The child's environment without credentials, so a missing key really is missing. */
function cleanEnv() {
  const env = { ...process.env };
  for (const k of ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_COOKIE_PASSWORD', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) delete env[k];
  return env;
}

async function runShard(shard, shards) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-')), 'calls.ndjson');
  const args = [CHILD, out, `--shard=${shard}/${shards}`, ...(LONG ? ['--long'] : [])];
  const child = spawn(process.execPath, args, { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 20_000) stderr += d;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), LONG ? 3_600_000 : 180_000);
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(killer);
  const lines = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const calls = lines.filter((l) => l.type === 'call');
  const done = new Set(lines.filter((l) => l.type === 'result').map((l) => l.id));
  const last = calls[calls.length - 1];
  const inFlight = last && !done.has(last.id) ? `${last.target} ${last.position} = ${last.value}` : null;
  return { shard, code, signal, stderr, lines, inFlight };
}

// The walk, in two children running side by side (each with its own mock server).
const SHARDS = 2;
const shards = await Promise.all(Array.from({ length: SHARDS }, (_, i) => runShard(i, SHARDS)));
const all = shards.flatMap((s) => s.lines);
const start = all.find((l) => l.type === 'start');
const ends = all.filter((l) => l.type === 'end');
const results = all.filter((l) => l.type === 'result' && l.position !== 'baseline');
const baselines = all.filter((l) => l.type === 'baseline');

const ACCEPTED = new Set(['TypeError', 'unexpected', 'plain', 'hostile', 'GuardError']);
const acceptedClass = (c) => ACCEPTED.has(c) || c?.startsWith('exception:');
const show = (r) => `${r.position} = ${r.value}: ${r.outcome}${r.sync ? ' (synchronously)' : ''}${r.error ? ` ${r.error}` : ''}${r.requests ? ` [${r.requests} request(s)]` : ''}`;

/** Every rule broken by the calls of one entry point, as readable lines. */
function violations(target, rows) {
  const v = [];
  for (const r of rows) {
    if (r.outcome === 'timeout') v.push(`never settled (15 s): ${show(r)}`);
    if (r.outcome === 'not-a-promise') v.push(`did not return a promise: ${show(r)}`);
    if (target.kind === 'async' && r.sync) v.push(`threw synchronously instead of rejecting: ${show(r)}`);
    if (r.class !== undefined && !acceptedClass(r.class)) v.push(`failed with an unexpected error: ${show(r)}`);
    if (r.class === 'TypeError' && r.requests > 0) v.push(`refused as bad input but sent ${r.requests} request(s): ${show(r)}`);
    if (r.badPaths.length > 0) v.push(`sent to a path outside the method's own (${r.badPaths.join(', ')}): ${show(r)}`);
    if (r.injectedHeader) v.push(`a header was injected: ${show(r)}`);
    if (target.kind === 'middleware' && r.outcome === 'resolved') {
      if (r.settled === 'never') v.push(`the request was never answered: ${show(r)}`);
      if (r.settleCount > 1) v.push(`answered ${r.settleCount} times: ${show(r)}`);
      if (target.expect === 'deny' && r.settled === 'next') v.push(`a denied request was let through: ${show(r)}`);
    }
  }
  return v;
}

test('the children walk every entry point and exit cleanly (no crash, abort or hang)', () => {
  for (const s of shards) {
    const inFlight = s.inFlight ? `; call in flight: ${s.inFlight}` : '';
    assert.equal(s.signal, null, `shard ${s.shard}: killed by ${s.signal}${inFlight}\n${s.stderr.slice(-3000)}`);
    assert.equal(s.code, 0, `shard ${s.shard}: exited with ${s.code}${inFlight}\n${s.stderr.slice(-3000)}`);
    assert.ok(s.lines.some((l) => l.type === 'end'), `shard ${s.shard} did not finish its walk${inFlight}`);
  }
  assert.ok(results.length > 5000, `only ${results.length} calls made`);
});

test('every public method has a baseline (the walk covers the whole surface)', () => {
  assert.ok(start, 'no start record');
  assert.deepEqual(start.uncovered, [], 'methods without a baseline in hostile-input-child.mjs');
  const { WorkOS } = require('../index.js');
  const w = new WorkOS('sk_test_x', { clientId: 'client_1' });
  for (const module of ['organizations', 'userManagement', 'auditLogs']) {
    const proto = Object.getPrototypeOf(w[module]);
    for (const m of Object.getOwnPropertyNames(proto)) {
      if (m === 'constructor' || typeof Object.getOwnPropertyDescriptor(proto, m).value !== 'function') continue;
      assert.ok(start.targets.some((t) => t.name === `${module}.${m}`), `${module}.${m} not walked`);
    }
  }
});

test('baselines succeed, so the hostile calls are measured against working calls', () => {
  const failed = baselines.filter((b) => !b.ok).map((b) => `${b.target}: ${show(b.record)}`);
  assert.deepEqual(failed, []);
  assert.ok(baselines.length >= 45, `${baselines.length} baselines`);
});

test('no unhandled rejection or uncaught exception, and no prototype pollution', () => {
  assert.equal(ends.length, SHARDS, 'a child did not finish');
  assert.deepEqual(ends.flatMap((e) => e.unhandled), []);
  assert.deepEqual(ends.map((e) => e.polluted), ends.map(() => false), 'Object.prototype was polluted');
});

describe('per entry point', () => {
  for (const target of start?.targets ?? []) {
    test(`${target.name}${target.expect === 'deny' ? ' (stays denied)' : ''}`, () => {
      const rows = results.filter((r) => r.target === target.name);
      assert.ok(rows.length > 0, 'no hostile calls recorded');
      const v = violations(target, rows);
      assert.equal(v.length, 0, `${v.length} of ${rows.length} calls broke a rule:\n  ${v.slice(0, 40).join('\n  ')}${v.length > 40 ? `\n  … ${v.length - 40} more` : ''}`);
    });
  }
});

test('bad input is refused promptly: a Buffer argument is not walked byte by byte', async () => {
  // Refusing an object with too many entries should not cost more than a look at its size;
  // a Buffer is the likeliest large object to reach an argument by mistake.
  const { WorkOS } = require('../index.js');
  const w = new WorkOS('sk_test_x', { apiHostname: '127.0.0.1', port: 9, https: false, maxRetries: 0 });
  const size = LONG ? 10 * 1024 * 1024 : 1024 * 1024;
  const buf = Buffer.alloc(size);
  const t0 = performance.now();
  const e = await w.organizations.createOrganization(buf).then(
    () => null,
    (err) => err,
  );
  const ms = performance.now() - t0;
  assert.ok(e instanceof TypeError, `expected a TypeError, got ${e}`);
  assert.ok(ms < 250, `a ${size / 1024 / 1024} MiB Buffer took ${ms.toFixed(0)} ms to refuse (the event loop is blocked meanwhile)`);
});

test('an id too long for any URL (70 000 chars) is refused at once as bad input, not retried as a network error', async () => {
  // Default retries: a failure that cannot succeed must not wait through three backoffs.
  const { WorkOS } = require('../index.js');
  const { startMock } = await import('./helpers/mock-server.mjs');
  const mock = await startMock();
  try {
    const w = new WorkOS('sk_test_x', { apiHostname: mock.hostname, port: mock.port, https: false });
    const t0 = performance.now();
    const e = await w.organizations.getOrganization('x'.repeat(70_000)).then(
      () => null,
      (err) => err,
    );
    const ms = performance.now() - t0;
    assert.equal(mock.requests.length, 0);
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms (retried with backoff): ${e?.constructor?.name}: ${e?.message}`);
    assert.ok(e instanceof TypeError, `expected a TypeError naming the id, got ${e?.constructor?.name}: ${e?.message}`);
  } finally {
    await mock.close();
  }
});

test('requireRole with a huge sparse array is refused promptly (not after walking 2^32 holes)', async () => {
  // requireRole(...slugs) flattens its arguments; `[new Array(2 ** 32 - 1)].flat()` visits every
  // index. Run in a child with a deadline, since a hang is the failure.
  const script = `
    const { WorkOS, createGuards } = require(${JSON.stringify(require.resolve('../index.js'))});
    const guards = createGuards(new WorkOS('sk_test_x', { clientId: 'client_1' }));
    const t0 = Date.now();
    try { guards.requireRole(new Array(2 ** 32 - 1)); console.log('returned'); }
    catch (e) { console.log(e.constructor.name + ' after ' + (Date.now() - t0) + ' ms: ' + e.message); }`;
  const child = spawn(process.execPath, ['-e', script], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const deadline = setTimeout(() => child.kill('SIGKILL'), 3000);
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(deadline);
  assert.equal(signal, null, 'requireRole(new Array(2 ** 32 - 1)) still running after 3 s (killed)');
  assert.equal(code, 0);
  assert.match(out, /^TypeError/, out);
});

test('the walk is summarised (sizes and slowest calls)', (t) => {
  const slow = [...results].sort((a, b) => b.ms - a.ms).slice(0, 5);
  t.diagnostic(`${results.length} hostile calls over ${start?.targets.length} entry points${LONG ? ' (LONG)' : ''}`);
  for (const r of slow) t.diagnostic(`slowest: ${r.target} ${r.position} = ${r.value}: ${r.ms} ms`);
  assert.ok(results.every((r) => typeof r.ms === 'number'));
});
