// Load and leaks. The client runs in a child process (helpers/load-child.mjs) against a bare
// keep-alive TCP mock in this process (helpers/fast-mock.mjs), which counts every connection.
//
//   - 10 000 concurrent getOrganization calls through one client all succeed, over a bounded
//     number of sockets (distinct connections accepted by the mock);
//   - 20 000 calls (LONG=1: 1 000 000, or as many as fit in 60 s) and 1 000 list walks keep
//     RSS flat after warm-up;
//   - a process using the client exits promptly when its work is done, also from a Worker.
//
// LONG=1 runs the long leak check and lets the 10 000-call burst finish even when it opens
// too many sockets (to measure it); by default the burst is stopped as soon as it has.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { startFastMock } from './helpers/fast-mock.mjs';

const LONG = process.env.LONG === '1';
const CHILD = fileURLToPath(new URL('./helpers/load-child.mjs', import.meta.url));

const ORG = JSON.stringify({
  object: 'organization',
  id: 'org_1',
  name: 'Org 1',
  allow_profiles_outside_organization: false,
  domains: [],
  created_at: '2024-01-01T00:00:00.000Z',
  updated_at: '2024-01-01T00:00:00.000Z',
  external_id: null,
  metadata: { k: 'v' },
});
const LIST_SIZE = 60;
const wireOrg = (i) => ({ object: 'organization', id: `org_${String(i).padStart(4, '0')}`, name: `Org ${i}`, domains: [], created_at: 'c', updated_at: 'u', external_id: null, metadata: {} });

/** GET /organizations/org_1, 404 for other ids, and a 60-item /organizations list (2 pages). */
function api(method, target) {
  const [path, query = ''] = target.split('?');
  if (path === '/organizations') {
    const q = new URLSearchParams(query);
    const after = q.get('after');
    const start = after ? Number(after.slice(4)) + 1 : 0;
    const limit = Number(q.get('limit') ?? 10);
    const data = Array.from({ length: Math.max(0, Math.min(limit, LIST_SIZE - start)) }, (_, k) => wireOrg(start + k));
    const more = start + data.length < LIST_SIZE;
    return { body: JSON.stringify({ object: 'list', data, list_metadata: { before: null, after: more ? data[data.length - 1].id : null } }) };
  }
  if (path === '/organizations/org_1') return { body: ORG };
  return { status: 404, body: '{"message":"not found"}' };
}

const mocks = new Set();
after(async () => {
  await Promise.all([...mocks].map((m) => m.close()));
});

async function mock(opts) {
  const m = await startFastMock(api, opts);
  mocks.add(m);
  return m;
}

const env = () => {
  const e = { ...process.env };
  for (const k of ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) delete e[k];
  return e;
};

/**
 * Runs the child; `watch(line, child)` sees each JSON line, `check(child)` is polled every 10 ms
 * (return a string to kill the child with that reason). Resolves to
 * { code, signal, lines, stderr, killedFor, exitedAt }.
 */
function runChild(args, { watch, check, timeoutMs = 120_000, nodeArgs = [] } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, CHILD, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    let stderr = '';
    let buf = '';
    let killedFor = null;
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) !== -1) {
        const line = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        lines.push(line);
        watch?.(line, child);
      }
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < 10_000) stderr += d;
    });
    const kill = (why) => {
      if (killedFor === null) {
        killedFor = why;
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill(`no exit after ${timeoutMs} ms`), timeoutMs);
    const poll = check ? setInterval(() => {
      const why = check(child);
      if (why) kill(why);
    }, 10) : null;
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal, lines, stderr, killedFor, exitedAt: Date.now() });
    });
  });
}

const done = (r) => r.lines.find((l) => l.type === 'done');

describe('load', () => {
  test('10 000 concurrent getOrganization calls: all succeed over a bounded number of sockets', async (t) => {
    // 200 ms per answer, an API's usual latency over a network: the calls really overlap, and
    // a client that opens a connection for every call left waiting shows it.
    const m = await mock({ delayMs: 200 });
    const BOUND = 1024;
    const t0 = performance.now();
    let exceededAt = null;
    const r = await runChild(['concurrent', String(m.port), '10000'], {
      timeoutMs: LONG ? 600_000 : 60_000,
      check: () => {
        if (m.stats.connections > BOUND && exceededAt === null) exceededAt = performance.now() - t0;
        // By default, stop at once: the answer is known and the rest would take long.
        return !LONG && exceededAt !== null ? `more than ${BOUND} connections` : null;
      },
    });
    const result = done(r);
    t.diagnostic(`connections: ${m.stats.connections} distinct (remote ports ${m.stats.remotePorts.size}), at most ${m.stats.maxOpen} open at once, ${m.stats.requests} requests`);
    if (result) t.diagnostic(`completed: ${result.ok} ok, ${result.failed} failed in ${result.ms} ms${result.firstError ? `; first error: ${result.firstError}` : ''}`);
    if (exceededAt !== null) t.diagnostic(`passed ${BOUND} connections after ${exceededAt.toFixed(0)} ms${r.killedFor ? ' (stopped there)' : ''}`);
    assert.ok(m.stats.connections <= BOUND, `10 000 concurrent calls opened more than ${BOUND} connections (${m.stats.connections} by the time it was ${r.killedFor ? 'stopped' : 'done'}, ${m.stats.maxOpen} open at once): the client does not bound its sockets`);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(result, 'no result');
    assert.equal(result.failed, 0, `first error: ${result.firstError}`);
    assert.equal(result.ok, 10_000);
  });
});

describe('leaks', { concurrency: true }, () => {
  test(`leak check: ${LONG ? '1 000 000 calls (or 60 s of them)' : '20 000 calls'} keep RSS flat after warm-up`, async (t) => {
    const m = await mock();
    const args = LONG ? ['leak', String(m.port), '1000000', '60'] : ['leak', String(m.port), '20000'];
    const r = await runChild(args, { nodeArgs: ['--expose-gc'], timeoutMs: LONG ? 180_000 : 90_000 });
    const result = done(r);
    assert.ok(result, `no result: ${r.killedFor ?? ''} ${r.stderr}`);
    const [first, ...rest] = result.samples;
    const last = rest[rest.length - 1];
    const growth = last.rss - first.rss;
    t.diagnostic(`${result.calls} calls in ${result.ms} ms (${Math.round((result.calls / result.ms) * 1000)}/s); RSS MB after warm-up ${first.rss} → ${result.samples.map((s) => s.rss).join(' → ')}; heap ${result.heapUsedMB} MB`);
    // Generous (ten times the noise seen), yet a leak of a kilobyte or more per call fails it.
    const bound = LONG ? 64 : 24;
    assert.ok(growth < bound, `RSS grew ${growth.toFixed(1)} MB over ${result.calls} calls (bound ${bound} MB): ${result.samples.map((s) => `${s.calls}:${s.rss}`).join(' ')}`);
    // Flat, not merely small: the second half grows no more than a few MB.
    const mid = result.samples[Math.floor(result.samples.length / 2)];
    assert.ok(last.rss - mid.rss < bound / 2, `RSS still growing in the second half: ${mid.rss} → ${last.rss} MB`);
    // Outside V8's heap (the addon, sockets, allocator): flat within a few MB.
    const native = result.samples.map((s) => s.native);
    t.diagnostic(`RSS less V8 heap, MB: ${native.join(' → ')}`);
    assert.ok(last.native - first.native < 12, `memory outside the V8 heap grew ${(last.native - first.native).toFixed(1)} MB: ${native.join(' → ')}`);
    assert.equal(r.code, 0);
  });

  test('leak check: 1 000 list walks (for await, early break, autoPagination) keep RSS flat', async (t) => {
    const m = await mock();
    const r = await runChild(['list-leak', String(m.port), '1000'], { nodeArgs: ['--expose-gc'], timeoutMs: 120_000 });
    const result = done(r);
    assert.ok(result, `no result: ${r.killedFor ?? ''} ${r.stderr}`);
    const rss = result.samples.map((s) => s.rss);
    t.diagnostic(`${result.walks} walks, ${result.items} items, ${m.stats.requests} requests; RSS MB ${rss.join(' → ')}`);
    assert.ok(rss[rss.length - 1] - rss[0] < 40, `RSS grew ${(rss[rss.length - 1] - rss[0]).toFixed(1)} MB over 1 000 walks: ${rss.join(' → ')}`);
    assert.equal(r.code, 0);
  });
});

describe('exit', { concurrency: true }, () => {
  test('a process that used the client (calls, a list left early, a failed call) exits promptly when done', async (t) => {
    const m = await mock();
    let doneAt = null;
    const r = await runChild(['exit', String(m.port)], { timeoutMs: 15_000, watch: (l) => l.type === 'done' && (doneAt = Date.now()) });
    assert.equal(r.killedFor, null, `the process did not exit: ${r.killedFor}`);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(doneAt, 'the work did not finish');
    const lag = r.exitedAt - doneAt;
    t.diagnostic(`exited ${lag} ms after its work was done`);
    assert.ok(lag < 1500, `exited ${lag} ms after its work was done`);
  });

  test('from a Worker: it exits when its work is done; workers terminated mid-call leave the process working', async (t) => {
    const m = await mock();
    let doneAt = null;
    const r = await runChild(['worker', String(m.port)], { timeoutMs: 30_000, watch: (l) => l.type === 'done' && (doneAt = Date.now()) });
    assert.equal(r.killedFor, null, `the process did not exit: ${r.killedFor}\n${r.stderr}`);
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    const result = done(r);
    assert.ok(result, r.stderr);
    for (const w of [result.plain, ...result.both]) {
      assert.equal(w.code, 0, JSON.stringify(w));
      assert.ok(w.message?.done, `the worker did not finish: ${JSON.stringify(w.message)}`);
      const lag = w.exitedAt - w.message.receivedAt;
      assert.ok(lag < 1500, `the worker exited ${lag} ms after its work was done`);
    }
    assert.deepEqual(result.terminated, [1, 1, 1, 1, 1], 'terminated workers exit with code 1');
    assert.equal(result.mainAfter, 'org_1');
    const lag = r.exitedAt - doneAt;
    t.diagnostic(`worker exits ${[result.plain, ...result.both].map((w) => w.exitedAt - w.message.receivedAt).join(', ')} ms after their work; the process ${lag} ms after its own`);
    assert.ok(lag < 1500, `the process exited ${lag} ms after its work was done`);
  });
});
