// Guards benchmark: an Express 4 app whose route runs
//   requireAuth() → requireOrganization → requireRole('admin', 'owner') → requireFeature('advanced_analytics')
// and a trivial handler, under 50 concurrent keep-alive connections spread over the 100 members
// of one organization, for:
//   (a) workos-native `createGuards`,
//   (b) the seed document's JavaScript guards on the official SDK (@workos-inc/node 8.13.0),
//   (c) the same app with no guards (the ceiling),
//   (d) for reference, four pass-through middlewares in place of the guards (Express's own cost).
// A WorkOS-like API answers every call after 5 ms. The API, the app and the load generator each
// run in their own process (this file, re-run with GUARDS_BENCH_ROLE=api|app|load), so only the
// app's own CPU is in what is measured. Reports requests/second, p50/p99 latency, app CPU time per
// request and the API calls each app made (counted by the API process), then each guard's own
// warm cost, called directly.
//
// The machine's other load moves req/s a lot; the CPU time per request moves much less. To keep a
// concurrent `npm run build:debug` from swapping the addon under a run, copy the release build
// and point NAPI_RS_NATIVE_LIBRARY_PATH at the copy (native.js honours it).
//
//   node bench/guards.mjs                  (or `npm run bench`, which builds release first)
//   BENCH_QUICK=1 node bench/guards.mjs    one short round

import http from 'node:http';
import net from 'node:net';
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);

const ORG = 'org_01BENCH0000000000000000000';
const FLAG = 'advanced_analytics';
const MEMBERS = 100;
const API_LATENCY_MS = 5;
const CONNECTIONS = 50;
const PATH = '/api/advanced-analytics';
const API_KEY = 'sk_test_bench';
const userId = (i) => `user_01BENCH${String(i).padStart(19, '0')}`;

const QUICK = Boolean(process.env.BENCH_QUICK);
const ROUNDS = QUICK ? 1 : 3;
const WARMUP_MS = QUICK ? 1000 : 2000;
const DURATION_MS = QUICK ? 2000 : 5000;

const GOALS = {
  nativeVsUnguarded: 0.9, // req/s, at least
  membershipCallsPerPair: 1, // per (user, organization) per TTL (30 s > one run), at most
};

// =======================================================================================
// Role: the WorkOS-like API (child process)

function runApi() {
  const T = '2026-01-01T00:00:00.000Z';
  const membership = (i) => ({
    object: 'organization_membership',
    id: `om_01BENCH${String(i).padStart(19, '0')}`,
    user_id: userId(i),
    organization_id: ORG,
    organization_name: 'Bench Org',
    status: 'active',
    role: { slug: i % 2 === 0 ? 'admin' : 'owner' },
    created_at: T,
    updated_at: T,
  });
  const byUser = new Map(Array.from({ length: MEMBERS }, (_, i) => [userId(i), membership(i)]));
  const organization = JSON.stringify({
    object: 'organization',
    id: ORG,
    name: 'Bench Org',
    allow_profiles_outside_organization: false,
    domains: [],
    stripe_customer_id: null,
    external_id: null,
    metadata: {},
    created_at: T,
    updated_at: T,
  });
  const flag = (slug, enabled) => ({ object: 'feature_flag', id: `flag_${slug}`, slug, name: slug, description: null, tags: [], enabled, default_value: false, created_at: T, updated_at: T });
  const flags = list([flag('beta_dashboard', true), flag(FLAG, true), flag('legacy_reports', false)]);
  function list(data) {
    return JSON.stringify({ object: 'list', data, list_metadata: { before: null, after: null } });
  }

  const calls = { memberships: 0, organization: 0, featureFlags: 0, other: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    const url = new URL(req.url, 'http://x');
    let status = 200;
    let body;
    if (url.pathname === '/user_management/organization_memberships') {
      calls.memberships++;
      const m = byUser.get(url.searchParams.get('user_id'));
      const org = url.searchParams.get('organization_id');
      body = list(m && (!org || org === ORG) ? [m] : []);
    } else if (url.pathname === `/organizations/${ORG}`) {
      calls.organization++;
      body = organization;
    } else if (url.pathname === `/organizations/${ORG}/feature-flags`) {
      calls.featureFlags++;
      body = flags;
    } else {
      calls.other++;
      status = 404;
      body = '{"message":"Not found"}';
    }
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'req_bench' });
      res.end(body);
    }, API_LATENCY_MS);
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1', () => process.send({ ready: true, port: server.address().port }));
  process.on('message', (m) => {
    if (m?.stats) process.send({ stats: { ...calls } });
  });
  process.on('disconnect', () => process.exit(0));
}

// =======================================================================================
// Role: the app (child process), one variant

/** The seed document's guards ("Request-Scoped Middleware", "Check User Role", "Feature
 *  Flags"), made to run on @workos-inc/node 8.13.0: the list is iterated through `.data` (the
 *  official list is not async-iterable, and `autoPagination()` would fetch page one again),
 *  `role.slug` is read where the seed reads `roleSlug`, and `slug` where it reads `key`. */
function seedGuards(workos) {
  function requireAuth() {
    return (req, res, next) => {
      if (!req.user) return res.status(401).json({ error: 'Not authenticated' });
      next();
    };
  }

  async function requireOrganization(req, res, next) {
    const organizationId = req.headers['x-organization-id'];
    if (!organizationId) {
      return res.status(400).json({ error: 'Missing organization context' });
    }
    try {
      // Verify organization exists and user has access
      const memberships = await workos.userManagement.listOrganizationMemberships({
        userId: req.user.id,
        organizationId,
      });
      let hasMembership = false;
      for await (const membership of memberships.data) {
        if (membership.organizationId === organizationId) {
          hasMembership = true;
          req.membership = membership;
          break;
        }
      }
      if (!hasMembership) {
        return res.status(403).json({ error: 'Not a member of this organization' });
      }
      // Fetch organization details
      req.organization = await workos.organizations.getOrganization(organizationId);
      next();
    } catch (error) {
      res.status(500).json({ error: 'Failed to verify organization access' });
    }
  }

  function requireRole(...allowedRoles) {
    return async (req, res, next) => {
      if (!req.membership) {
        return res.status(403).json({ error: 'No organization membership' });
      }
      if (!allowedRoles.includes(req.membership.role.slug)) {
        return res.status(403).json({ error: `Requires one of: ${allowedRoles.join(', ')}` });
      }
      next();
    };
  }

  async function hasFeature(organizationId, featureKey) {
    const features = await workos.organizations.listOrganizationFeatureFlags({ organizationId });
    for await (const feature of features.data) {
      if (feature.slug === featureKey) {
        return feature.enabled;
      }
    }
    return false;
  }

  function requireFeature(featureKey) {
    return async (req, res, next) => {
      const enabled = await hasFeature(req.organization.id, featureKey);
      if (!enabled) {
        return res.status(403).json({ error: `Feature '${featureKey}' not available for this organization` });
      }
      next();
    };
  }

  return { requireAuth, requireOrganization, requireRole, requireFeature };
}

async function runApp() {
  const variant = process.env.GUARDS_BENCH_VARIANT;
  const apiPort = Number(process.env.GUARDS_BENCH_API_PORT);
  const express = require('express4');
  const app = express();
  app.set('env', 'production');
  app.set('etag', false);
  // The app's authentication (a session, in a real app) has already identified the user.
  app.use((req, res, next) => {
    const id = req.headers['x-user-id'];
    if (id) req.user = { id };
    next();
  });
  const handler = (req, res) => res.json({ analytics: [] });
  const clientOptions = { apiHostname: '127.0.0.1', port: apiPort, https: false };

  if (variant === 'native') {
    const { WorkOS, createGuards } = require('../index.js');
    const guards = createGuards(new WorkOS(API_KEY, clientOptions));
    app.get(PATH, guards.requireAuth(), guards.requireOrganization, guards.requireRole('admin', 'owner'), guards.requireFeature(FLAG), handler);
  } else if (variant === 'seed') {
    const { WorkOS } = require('@workos-inc/node');
    const guards = seedGuards(new WorkOS(API_KEY, clientOptions));
    app.get(PATH, guards.requireAuth(), guards.requireOrganization, guards.requireRole('admin', 'owner'), guards.requireFeature(FLAG), handler);
  } else if (variant === 'none') {
    app.get(PATH, handler);
  } else if (variant === 'noop') {
    const pass = () => (req, res, next) => next();
    app.get(PATH, pass(), pass(), pass(), pass(), handler);
  } else {
    throw new Error(`unknown variant ${variant}`);
  }

  const statuses = {};
  const server = http.createServer(app);
  server.on('request', (req, res) => res.on('finish', () => (statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1)));
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1', () => process.send({ ready: true, port: server.address().port }));
  process.on('message', (m) => {
    if (m?.cpu) process.send({ cpu: process.cpuUsage(), statuses: { ...statuses } });
  });
  process.on('disconnect', () => process.exit(0));
}

// =======================================================================================
// Role: the load generator (child process). Raw HTTP/1.1 over keep-alive sockets, one request
// in flight per connection, so the generator's own cost stays small.

function runLoad() {
  const port = Number(process.env.GUARDS_BENCH_TARGET_PORT);
  const warmupMs = Number(process.env.GUARDS_BENCH_WARMUP_MS);
  const durationMs = Number(process.env.GUARDS_BENCH_DURATION_MS);
  const requests = Array.from({ length: MEMBERS }, (_, i) =>
    Buffer.from(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-user-id: ${userId(i)}\r\nx-organization-id: ${ORG}\r\nConnection: keep-alive\r\n\r\n`),
  );
  let next = 0;
  let phase = 'warmup'; // → 'measure' → 'drain'
  let measureStart = 0;
  let measureEnd = 0;
  const latencies = [];
  const counts = { ok: 0, non2xx: 0, errors: 0 };
  let open = CONNECTIONS;

  function connection() {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let sentAt = 0;
    const send = () => {
      if (phase === 'drain') {
        socket.end();
        return;
      }
      sentAt = performance.now();
      socket.write(requests[next++ % MEMBERS]);
    };
    socket.on('connect', send);
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        const headEnd = buf.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        const head = buf.toString('latin1', 0, headEnd);
        const status = Number(head.slice(9, 12));
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        let total;
        if (m) {
          total = headEnd + 4 + Number(m[1]);
        } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
          const end = buf.indexOf('\r\n0\r\n\r\n', headEnd);
          if (end === -1) return;
          total = end + 7;
        } else {
          total = headEnd + 4;
        }
        if (buf.length < total) return;
        buf = buf.subarray(total);
        const done = performance.now();
        if (phase === 'measure' && sentAt >= measureStart && done <= measureEnd) {
          latencies.push(done - sentAt);
          if (status >= 200 && status < 300) counts.ok++;
          else counts.non2xx++;
        }
        send();
      }
    });
    socket.on('error', () => {
      if (phase === 'measure') counts.errors++;
    });
    socket.on('close', () => {
      if (--open === 0) finish();
    });
  }

  function finish() {
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    const seconds = (measureEnd - measureStart) / 1000;
    process.send({
      result: {
        rps: (counts.ok + counts.non2xx) / seconds,
        okRps: counts.ok / seconds,
        p50: q(0.5),
        p99: q(0.99),
        max: latencies[latencies.length - 1],
        ...counts,
        seconds,
      },
    });
    process.disconnect();
  }

  for (let i = 0; i < CONNECTIONS; i++) connection();
  setTimeout(() => {
    measureStart = performance.now();
    measureEnd = measureStart + durationMs;
    phase = 'measure';
    process.send({ warm: true });
    setTimeout(() => {
      phase = 'drain';
    }, durationMs);
  }, warmupMs);
}

// =======================================================================================
// Role: per-guard cost (child process). Each workos-native guard called directly, warm, as a
// plain function: the CPU time it adds to every request, without HTTP or Express.

async function runMicro() {
  const apiPort = Number(process.env.GUARDS_BENCH_API_PORT);
  const { WorkOS, createGuards } = require('../index.js');
  const guards = createGuards(new WorkOS(API_KEY, { apiHostname: '127.0.0.1', port: apiPort, https: false }));
  const res = {
    status() {
      return this;
    },
    json(body) {
      throw new Error(`refused: ${JSON.stringify(body)}`);
    },
  };
  const requestFor = (i) => ({ user: { id: userId(i % MEMBERS) }, headers: { 'x-organization-id': ORG } });
  // Warm every member.
  for (let i = 0; i < MEMBERS; i++) {
    const req = requestFor(i);
    await new Promise((resolve) => guards.requireOrganization(req, res, resolve));
    await new Promise((resolve) => guards.requireFeature(FLAG)(req, res, resolve));
  }
  const steps = [
    ['requireAuth()', guards.requireAuth()],
    ['requireOrganization', guards.requireOrganization],
    ["requireRole('admin', 'owner')", guards.requireRole('admin', 'owner')],
    [`requireFeature('${FLAG}')`, guards.requireFeature(FLAG)],
  ];
  const N = QUICK ? 20_000 : 100_000;
  const results = [];
  const prepared = Array.from({ length: MEMBERS }, (_, i) => requestFor(i));
  for (const req of prepared) await new Promise((resolve) => guards.requireOrganization(req, res, resolve));
  for (const [name, mw] of steps) {
    let synchronous = 0;
    const next = (err) => {
      if (err) throw err;
      synchronous++;
    };
    for (let i = 0; i < 2000; i++) mw({ ...prepared[i % MEMBERS] }, res, next); // JIT warm-up
    synchronous = 0;
    const started = performance.now();
    for (let i = 0; i < N; i++) {
      const req = prepared[i % MEMBERS];
      mw({ user: req.user, headers: req.headers, membership: req.membership, organization: req.organization }, res, next);
    }
    const elapsed = performance.now() - started;
    results.push({ name, us: (elapsed * 1000) / N, synchronous: synchronous / N });
  }
  process.send({ micro: results });
  process.disconnect();
}

// =======================================================================================
// Orchestration

function child(role, env = {}) {
  const proc = fork(SELF, [], { env: { ...process.env, GUARDS_BENCH_ROLE: role, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = [];
  proc.on('message', (m) => {
    const i = waiting.findIndex((w) => w.test(m));
    if (i !== -1) waiting.splice(i, 1)[0].resolve(m);
  });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  proc.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${role} process exited (${code}) before answering`));
  });
  return {
    proc,
    exited,
    /** The next message for which `test(m)` holds. */
    wait(test) {
      return new Promise((resolve, reject) => waiting.push({ test, resolve, reject }));
    },
    async ask(message, test) {
      const answer = this.wait(test);
      proc.send(message);
      return answer;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        if (proc.connected) proc.disconnect();
        const t = setTimeout(() => proc.kill(), 2000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

const diff = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - (b[k] ?? 0)]));

async function measure(variant, apiPort, api) {
  const app = child('app', { GUARDS_BENCH_VARIANT: variant, GUARDS_BENCH_API_PORT: String(apiPort) });
  try {
    const { port } = await app.wait((m) => m.ready);
    const start = (await api.ask({ stats: true }, (m) => m.stats)).stats;
    const load = child('load', {
      GUARDS_BENCH_TARGET_PORT: String(port),
      GUARDS_BENCH_WARMUP_MS: String(WARMUP_MS),
      GUARDS_BENCH_DURATION_MS: String(DURATION_MS),
    });
    const warmed = load.wait((m) => m.warm);
    const done = load.wait((m) => m.result);
    await warmed;
    const [atWarm, cpuAtWarm] = await Promise.all([api.ask({ stats: true }, (m) => m.stats), app.ask({ cpu: true }, (m) => m.cpu)]);
    const { result } = await done;
    const [atEnd, cpuAtEnd] = await Promise.all([api.ask({ stats: true }, (m) => m.stats), app.ask({ cpu: true }, (m) => m.cpu)]);
    await load.stop();
    const requests = result.ok + result.non2xx;
    const cpuMicros = cpuAtEnd.cpu.user + cpuAtEnd.cpu.system - (cpuAtWarm.cpu.user + cpuAtWarm.cpu.system);
    return {
      ...result,
      cpuPerRequestUs: requests > 0 ? cpuMicros / requests : NaN,
      callsTotal: diff(atEnd.stats, start),
      callsMeasured: diff(atEnd.stats, atWarm.stats),
      statuses: cpuAtEnd.statuses,
    };
  } finally {
    await app.stop();
  }
}

const VARIANTS = [
  { key: 'native', label: '(a) workos-native `createGuards`' },
  { key: 'seed', label: '(b) seed JS guards on @workos-inc/node 8.13.0' },
  { key: 'none', label: '(c) no guards' },
  { key: 'noop', label: '(d) four pass-through middlewares (the chain alone)' },
];

async function main() {
  const { buildProfile, machine, ROOT } = await import('./lib/build-info.mjs');
  // NAPI_RS_NATIVE_LIBRARY_PATH (honoured by native.js) lets a run use a copy of a release build
  // that a concurrent `npm run build:debug` cannot replace.
  const override = process.env.NAPI_RS_NATIVE_LIBRARY_PATH;
  const profile = () => {
    if (!override) return buildProfile();
    const fs = require('node:fs');
    const path = require('node:path');
    const size = fs.statSync(override).size;
    for (const p of ['release', 'debug']) {
      for (const dir of [path.join(ROOT, 'target', p), ...fs.readdirSync(path.join(ROOT, 'target')).map((d) => path.join(ROOT, 'target', d, p))]) {
        const f = path.join(dir, 'libworkos_native.so');
        if (fs.existsSync(f) && fs.statSync(f).size === size) return `${p} (${override})`;
      }
    }
    // Not the current cargo output: a copy of an earlier build. Debug builds carry ~100 MB of
    // debug info; release builds are a few MB.
    return `${size < 30 * 2 ** 20 ? 'release' : 'debug'}, by its size of ${(size / 2 ** 20).toFixed(1)} MiB (${override})`;
  };
  const addonProfile = profile();
  const { table, ratio } = await import('./lib/format.mjs');
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—');
  const msf = (v) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : '—');

  const api = child('api');
  const { port: apiPort } = await api.wait((m) => m.ready);
  const runs = Object.fromEntries(VARIANTS.map((v) => [v.key, []]));
  let micro = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so no variant always runs first (or last).
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const v of order) runs[v.key].push(await measure(v.key, apiPort, api));
    }
    const m = child('micro', { GUARDS_BENCH_API_PORT: String(apiPort) });
    micro = (await m.wait((x) => x.micro)).micro;
    await m.stop();
  } finally {
    await api.stop();
  }

  // The run with the median req/s stands for each variant.
  const pick = (key) => {
    const sorted = [...runs[key]].sort((a, b) => a.rps - b.rps);
    return sorted[sorted.length >> 1];
  };
  const chosen = Object.fromEntries(VARIANTS.map((v) => [v.key, pick(v.key)]));
  const none = chosen.none;

  const out = (s = '') => console.log(s);
  out(`## Guards: Express 4, ${MEMBERS} members of one organization, ${CONNECTIONS} keep-alive connections`);
  out();
  out(
    `Route: \`requireAuth() → requireOrganization → requireRole('admin', 'owner') → requireFeature('${FLAG}')\` → \`res.json\`. ` +
      `The API answers after ${API_LATENCY_MS} ms. Each run: a fresh app process, ${WARMUP_MS / 1000} s warm-up, then ${DURATION_MS / 1000} s measured; ` +
      `${ROUNDS} round${ROUNDS > 1 ? 's' : ''}, the run with the median req/s shown${QUICK ? ' (quick mode)' : ''}. ` +
      `Addon build: **${addonProfile}** · ${machine()}.`,
  );
  out();
  out(
    table(
      ['app', 'req/s', 'vs no guards', 'p50', 'p99', 'app CPU / req', 'vs no guards (CPU)', 'non-2xx', 'API calls (measured)', 'API calls (whole run)'],
      VARIANTS.map(({ key, label }) => {
        const r = chosen[key];
        const calls = (c) => `${fmt(c.memberships + c.organization + c.featureFlags + c.other)} (m ${fmt(c.memberships)} · o ${fmt(c.organization)} · f ${fmt(c.featureFlags)})`;
        return [label, fmt(r.rps), ratio(r.rps / none.rps), msf(r.p50), msf(r.p99), `${fmt(r.cpuPerRequestUs)} µs`, ratio(none.cpuPerRequestUs / r.cpuPerRequestUs), fmt(r.non2xx + r.errors), calls(r.callsMeasured), calls(r.callsTotal)];
      }),
    ),
  );
  out();
  out('"vs no guards (CPU)" is the unguarded app\'s CPU time per request over this app\'s: the throughput ratio a CPU-bound app would see, and less disturbed than req/s by other load on the machine.');
  out("(d) is not a goal: it shows what four middleware layers cost in Express 4 whatever they do, so the guards' own share is (d) → (a).");
  out('API calls: m = membership lists, o = organization reads, f = feature-flag lists. "Measured" is the measured window only; "whole run" adds the warm-up, from a cold start.');
  if (ROUNDS > 1) {
    out();
    out(`All rounds, req/s: ${VARIANTS.map(({ key }) => `${key} ${runs[key].map((r) => fmt(r.rps)).join(' / ')}`).join(' · ')}.`);
  }

  out();
  out('### Where the time goes: each workos-native guard, warm, called directly (no HTTP, no Express)');
  out();
  out(
    table(
      ['guard', 'µs per call', 'decided synchronously'],
      [
        ...micro.map((r) => [`\`${r.name}\``, r.us.toFixed(2), `${(r.synchronous * 100).toFixed(0)} %`]),
        ['all four', micro.reduce((a, r) => a + r.us, 0).toFixed(2), ''],
      ],
    ),
  );
  out();
  out(`For scale: the unguarded app spends ${fmt(none.cpuPerRequestUs)} µs of CPU per request (table above).`);

  const ratioNative = median(runs.native.map((r, i) => r.rps / runs.none[i].rps));
  const cpuRatioNative = median(runs.native.map((r, i) => runs.none[i].cpuPerRequestUs / r.cpuPerRequestUs));
  const maxMembershipCalls = Math.max(...runs.native.map((r) => r.callsTotal.memberships));
  const allOk = Object.values(runs).every((rs) => rs.every((r) => r.non2xx === 0 && r.errors === 0 && r.ok > 0));
  out();
  out('### Goals');
  out();
  out(
    table(
      ['goal', 'measured', 'met'],
      [
        [`workos-native ≥ ${GOALS.nativeVsUnguarded}× the unguarded app's req/s (median of the rounds' ratios)`, ratio(ratioNative), ratioNative >= GOALS.nativeVsUnguarded ? 'yes' : '**no**'],
        [`(same, by app CPU time per request)`, ratio(cpuRatioNative), cpuRatioNative >= GOALS.nativeVsUnguarded ? 'yes' : '**no**'],
        [
          `at most ${GOALS.membershipCallsPerPair} membership call per (user, organization) per TTL: ≤ ${MEMBERS} per run`,
          `${fmt(maxMembershipCalls)} (worst run)`,
          maxMembershipCalls <= MEMBERS * GOALS.membershipCallsPerPair ? 'yes' : '**no**',
        ],
        ['every response 2xx, no socket error (all apps, all runs)', allOk ? 'yes' : 'no', allOk ? 'yes' : '**no**'],
      ],
      ['l', 'r', 'l'],
    ),
  );
  out();
}

// =======================================================================================

switch (process.env.GUARDS_BENCH_ROLE) {
  case 'api':
    runApi();
    break;
  case 'app':
    await runApp();
    break;
  case 'load':
    runLoad();
    break;
  case 'micro':
    await runMicro();
    break;
  default:
    await main();
}
