// Guards benchmark: an Express 4 app whose route runs
//   requireAuth() → requireOrganization → requireRole('admin', 'owner') → requireFeature('advanced_analytics')
// and a trivial handler, under 50 concurrent keep-alive connections spread over the 100 members
// of one organization, for:
//   (a) workos-native `createGuards`,
//   (b) the seed document's JavaScript guards on the official SDK (@workos-inc/node 8.13.0),
//   (c) the same app with no guards (the ceiling),
//   (d) for reference, four pass-through middlewares in place of the guards (Express's own cost),
//   (e) four that only read the request and set req.membership/req.organization (what any
//       guard that does what the seed does pays, before deciding anything),
//   (f) and (c) with the request in dictionary mode, as the guards leave it on V8 before 13.
// A WorkOS-like API answers every call after 5 ms. The API, the apps and the load generator each
// run in their own process (this file, re-run with GUARDS_BENCH_ROLE=api|app|load), so only an
// app's own CPU is in what is measured.
//
// The apps run side by side and the load moves between them in short slices (a slice of
// each app, again and again, in orders where every app follows every other equally often),
// each slice ending when its last response is in. On this shared machine the speed available
// to a process drifts by ±20 % over tens of seconds; apps measured one after another took that
// drift into their ratios, apps measured in interleaved slices share it. Reports requests/second
// (with a 95 % interval for each ratio, from resampling the cycles), p50/p99 latency, app CPU
// time per request and the API calls each app made (each app has its own API port), then each
// guard's own warm cost, called directly.
//
// To keep a concurrent `npm run build:debug` from swapping the addon under a run, copy the
// release build and point NAPI_RS_NATIVE_LIBRARY_PATH at the copy (native.js honours it).
//
//   node bench/guards.mjs                  (or `npm run bench`, which builds release first)
//   BENCH_QUICK=1 node bench/guards.mjs    one short round
//   GUARDS_BENCH_RUNS=5 node bench/guards.mjs   five runs, each with fresh app processes, reported together

import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { forkChild } from './lib/children.mjs';
import { MEMBERS, ORG, PATH, requestsFor, userId } from './lib/guards-fixture.mjs';
import { firstResponse } from './lib/http-frames.mjs';

const SELF = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);

const FLAG = 'advanced_analytics';
const API_LATENCY_MS = 5;
const CONNECTIONS = 50;
const API_KEY = 'sk_test_bench';

const QUICK = Boolean(process.env.BENCH_QUICK);
const WARMUP_MS = QUICK ? 1000 : 8000; // per app, before any slice is measured (V8 is still optimizing the guarded apps 2 s in)
const SLICE_MS = 400;
const CYCLES = QUICK ? 5 : 25; // at least; each cycle: one slice of each app (rounded up to whole sets of orders)
const TTL_MS = 30_000; // createGuards' default cacheTtlMs
const CYCLE_PAUSE_MS = 100;
// Runs, each with fresh app processes, reported together: how V8 compiled an app differs from one
// process to the next, which one run's cycles cannot show.
const RUNS = Math.max(1, Number(process.env.GUARDS_BENCH_RUNS ?? 1) || 1);

/** A small seeded PRNG (uniform in [0, 1)), so a report's intervals are reproducible. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The orders of a cycle's slices: a Williams design, in which every app follows every other
 *  app equally often (n orders for an even n, 2n for an odd one). An app's slice pays for what
 *  the app before it leaves running (the seed's app, with its garbage and its API traffic,
 *  leaves the most); a plain rotation had each app follow the same one nearly every time, and
 *  the unguarded app the seed's: the pass-through app then measured 1.06-1.12x of it. */
function balancedOrders(n) {
  const first = [0];
  for (let j = 1, low = 1, high = n - 1; j < n; j++) first.push(j % 2 === 1 ? low++ : high--);
  const orders = first.map((_, r) => first.map((app) => (app + r) % n));
  return n % 2 === 0 ? orders : [...orders, ...orders.map((order) => [...order].reverse())];
}
/** CYCLES rounded up to whole sets of `apps` apps' orders. */
function cyclesFor(apps) {
  const orders = balancedOrders(apps).length;
  return Math.ceil(CYCLES / orders) * orders;
}

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

  // One port per app, so that each app's calls are counted apart.
  const count = Number(process.env.GUARDS_BENCH_API_PORTS ?? 1);
  const calls = Array.from({ length: count }, () => ({ memberships: 0, organization: 0, featureFlags: 0, other: 0 }));
  const servers = calls.map((c) => {
    const server = http.createServer((req, res) => {
      req.resume();
      const url = new URL(req.url, 'http://x');
      let status = 200;
      let body;
      if (url.pathname === '/user_management/organization_memberships') {
        c.memberships++;
        const m = byUser.get(url.searchParams.get('user_id'));
        const org = url.searchParams.get('organization_id');
        body = list(m && (!org || org === ORG) ? [m] : []);
      } else if (url.pathname === `/organizations/${ORG}`) {
        c.organization++;
        body = organization;
      } else if (url.pathname === `/organizations/${ORG}/feature-flags`) {
        c.featureFlags++;
        body = flags;
      } else {
        c.other++;
        status = 404;
        body = '{"message":"Not found"}';
      }
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'req_bench' });
        res.end(body);
      }, API_LATENCY_MS);
    });
    server.keepAliveTimeout = 120_000;
    return server;
  });
  Promise.all(servers.map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port))))).then((ports) =>
    process.send({ ready: true, ports }),
  );
  process.on('message', (m) => {
    if (m?.stats) process.send({ stats: calls.map((c) => ({ ...c })) });
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
  // The app's authentication (a session, in a real app) has already identified the user. In the
  // `unshared` app it sets req.user the way the guards set their properties on V8 before 13
  // (lib/guards.js, UNSHARE), which leaves the request in dictionary mode, on any V8 here.
  const unshare = variant === 'unshared' ? Symbol('unshare') : undefined;
  app.use((req, res, next) => {
    const id = req.headers['x-user-id'];
    if (id) {
      if (unshare !== undefined) req[unshare] = true;
      req.user = { id };
      if (unshare !== undefined) delete req[unshare];
    }
    next();
  });
  const handler = (req, res) => res.json({ analytics: [] });
  const clientOptions = { apiHostname: '127.0.0.1', port: apiPort, https: false };

  if (variant === 'native') {
    // GUARDS_BENCH_PACKAGE: another copy of workos-native (bench/tools/guards-ab.mjs compares two).
    const { WorkOS, createGuards } = require(process.env.GUARDS_BENCH_PACKAGE ?? '../index.js');
    const guards = createGuards(new WorkOS(API_KEY, clientOptions));
    app.get(PATH, guards.requireAuth(), guards.requireOrganization, guards.requireRole('admin', 'owner'), guards.requireFeature(FLAG), handler);
  } else if (variant === 'seed') {
    const { WorkOS } = require('@workos-inc/node');
    const guards = seedGuards(new WorkOS(API_KEY, clientOptions));
    app.get(PATH, guards.requireAuth(), guards.requireOrganization, guards.requireRole('admin', 'owner'), guards.requireFeature(FLAG), handler);
  } else if (variant === 'none' || variant === 'unshared') {
    app.get(PATH, handler);
  } else if (variant === 'noop') {
    const pass = () => (req, res, next) => next();
    app.get(PATH, pass(), pass(), pass(), pass(), handler);
  } else if (variant === 'touch') {
    // What any guard that sets req.membership and req.organization does to the request, with
    // no decision at all: the same reads of req, and two shared objects stored on it.
    const membership = { object: 'organization_membership', id: 'om_1', status: 'active', role: { slug: 'admin' } };
    const organization = { object: 'organization', id: ORG, name: 'Bench Org' };
    const refuse = (res) => res.sendStatus(403);
    const auth = (req, res, next) => (req.headers.cookie === undefined && req.user?.id !== undefined ? next() : refuse(res));
    const org = (req, res, next) => {
      if (req.user?.id === undefined || req.headers['x-organization-id'] === undefined) return refuse(res);
      req.membership = membership;
      req.organization = organization;
      next();
    };
    const role = (req, res, next) => (req.membership?.status === 'active' ? next() : refuse(res));
    const feature = (req, res, next) => (req.organization?.id === ORG ? next() : refuse(res));
    app.get(PATH, auth, org, role, feature, handler);
  } else if (variant.startsWith('file:')) {
    (await import(variant.slice(5))).default(app, { PATH, FLAG, API_KEY, clientOptions, handler, require });
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
// in flight per connection, so the generator's own cost stays small. Each app gets its own
// connections; only the app whose slice it is gets requests.

function runLoad() {
  const ports = process.env.GUARDS_BENCH_TARGET_PORTS.split(',').map(Number);
  /** One app's connections: `run(ms, measured)` keeps every connection busy for `ms`, then
   *  resolves once the last response is in. */
  function target(port) {
    const requests = requestsFor(port);
    let next = 0;
    let deadline = 0;
    let record = null;
    let busy = 0;
    let settle = null;
    const sockets = [];
    const stats = { latencies: [], ok: 0, non2xx: 0, errors: 0, ms: 0 };

    function connection() {
      return new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
        socket.setNoDelay(true);
        let buf = Buffer.alloc(0);
        socket.sentAt = 0;
        socket.send = () => {
          socket.sentAt = performance.now();
          busy++;
          socket.write(requests[next++ % MEMBERS]);
        };
        socket.on('data', (chunk) => {
          buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
          for (;;) {
            const response = firstResponse(buf);
            if (response === null) return;
            const { status, total } = response;
            buf = buf.subarray(total);
            const done = performance.now();
            busy--;
            if (record) {
              record.latencies.push(done - socket.sentAt);
              if (status >= 200 && status < 300) record.ok++;
              else record.non2xx++;
            }
            if (done < deadline) socket.send();
            else if (busy === 0) settle();
          }
        });
        socket.on('error', () => {
          stats.errors++;
          busy--;
          if (busy === 0 && settle) settle();
        });
      });
    }

    return {
      stats,
      async open() {
        for (let i = 0; i < CONNECTIONS; i++) sockets.push(await connection());
      },
      run(ms, measured) {
        record = measured ? stats : null;
        const started = performance.now();
        deadline = started + ms;
        return new Promise((resolve) => {
          settle = () => {
            settle = null;
            const elapsed = performance.now() - started;
            if (measured) stats.ms += elapsed;
            resolve();
          };
          for (const s of sockets) s.send();
        });
      },
      close() {
        for (const s of sockets) s.destroy();
      },
    };
  }

  (async () => {
    const targets = ports.map(target);
    for (const t of targets) await t.open();
    for (const t of targets) await t.run(Number(process.env.GUARDS_BENCH_WARMUP_MS), false);
    process.send({ warm: true });
    await new Promise((resolve) => process.once('message', resolve)); // the snapshot is taken
    // Per cycle, each app's req/s in that cycle's slice (for the ratios' intervals).
    const cycles = [];
    const orders = balancedOrders(targets.length);
    for (let c = 0; c < Number(process.env.GUARDS_BENCH_CYCLES); c++) {
      const cycle = [];
      // A pause between cycles, so no app's slice follows the last one of the cycle before.
      if (c > 0) await new Promise((resolve) => setTimeout(resolve, CYCLE_PAUSE_MS));
      for (const i of orders[c % orders.length]) {
        const t = targets[i];
        const before = t.stats.ok + t.stats.non2xx;
        const ms = t.stats.ms;
        await t.run(SLICE_MS, true);
        cycle[i] = ((t.stats.ok + t.stats.non2xx - before) * 1000) / (t.stats.ms - ms);
      }
      cycles.push(cycle);
    }
    for (const t of targets) t.close();
    const results = targets.map(({ stats }) => {
      const l = stats.latencies.sort((a, b) => a - b);
      const q = (p) => l[Math.min(l.length - 1, Math.floor(p * l.length))];
      return { rps: ((stats.ok + stats.non2xx) * 1000) / stats.ms, p50: q(0.5), p99: q(0.99), ok: stats.ok, non2xx: stats.non2xx, errors: stats.errors, seconds: stats.ms / 1000 };
    });
    process.send({ result: { results, cycles } });
    process.disconnect();
  })();
}

// =======================================================================================
// Role: per-guard cost (child process). The workos-native guards called directly, warm, as
// plain functions in the route's order (each chain checked to decide every request
// synchronously): the CPU time each adds to a request, without HTTP or Express.

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
  const prepared = Array.from({ length: MEMBERS }, (_, i) => requestFor(i));
  // Each guard where it runs in the route: on a fresh request that has just been through the
  // guards before it. Its cost is the time of the chain up to it less the chain before it.
  let synchronous = 0;
  const next = (err) => {
    if (err) throw err;
    synchronous++;
  };
  const chainTime = (length) => {
    const chain = steps.slice(0, length).map(([, mw]) => mw);
    const run = (i) => {
      const req = { user: prepared[i % MEMBERS].user, headers: prepared[i % MEMBERS].headers };
      for (const mw of chain) mw(req, res, next);
    };
    for (let i = 0; i < 2000; i++) run(i); // JIT warm-up
    synchronous = 0;
    const started = performance.now();
    for (let i = 0; i < N; i++) run(i);
    const us = ((performance.now() - started) * 1000) / N;
    if (synchronous !== N * length) throw new Error(`the chain of ${length} was not decided synchronously every time`);
    return us;
  };
  const times = [0];
  for (let length = 1; length <= steps.length; length++) times.push(chainTime(length));
  const micro = steps.map(([name], i) => ({ name, us: Math.max(0, times[i + 1] - times[i]) }));
  process.send({ micro, chain: times[steps.length] });
  process.disconnect();
}

// =======================================================================================
// Orchestration

function child(role, env = {}) {
  return forkChild(SELF, { ...process.env, GUARDS_BENCH_ROLE: role, ...env }, role);
}

const diff = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - (b[k] ?? 0)]));
const cpuMicros = (c) => c.user + c.system;

/** Runs every app side by side and the load in interleaved slices; per app, what it served,
 *  its CPU time per request and the API calls it made, and the req/s of every cycle. */
async function measureInterleaved(variants, apiPorts, api) {
  const apps = variants.map((v, i) => child('app', { GUARDS_BENCH_VARIANT: v.key, GUARDS_BENCH_API_PORT: String(apiPorts[i]) }));
  try {
    const ports = (await Promise.all(apps.map((a) => a.wait((m) => m.ready)))).map((m) => m.port);
    const start = (await api.ask({ stats: true }, (m) => m.stats)).stats;
    const startedAt = performance.now();
    const load = child('load', {
      GUARDS_BENCH_TARGET_PORTS: ports.join(','),
      GUARDS_BENCH_WARMUP_MS: String(WARMUP_MS),
      GUARDS_BENCH_CYCLES: String(cyclesFor(variants.length)),
    });
    const done = load.wait((m) => m.result);
    await load.wait((m) => m.warm);
    const snapshot = () => Promise.all([api.ask({ stats: true }, (m) => m.stats).then((m) => m.stats), ...apps.map((a) => a.ask({ cpu: true }, (m) => m.cpu))]);
    const [atWarm, ...cpuAtWarm] = await snapshot();
    load.proc.send({ go: true });
    const { result } = await done;
    const [atEnd, ...cpuAtEnd] = await snapshot();
    const wholeRunMs = performance.now() - startedAt;
    await load.stop();
    const byApp = variants.map((v, i) => {
      const r = result.results[i];
      const requests = r.ok + r.non2xx;
      return {
        ...r,
        cpuPerRequestUs: requests > 0 ? (cpuMicros(cpuAtEnd[i].cpu) - cpuMicros(cpuAtWarm[i].cpu)) / requests : NaN,
        callsTotal: diff(atEnd[i], start[i]),
        callsMeasured: diff(atEnd[i], atWarm[i]),
        statuses: cpuAtEnd[i].statuses,
      };
    });
    return { byApp, cycles: result.cycles, wholeRunMs };
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
  }
}

const ALL_VARIANTS = [
  { key: 'native', label: '(a) workos-native `createGuards`' },
  { key: 'seed', label: '(b) seed JS guards on @workos-inc/node 8.13.0' },
  { key: 'none', label: '(c) no guards' },
  { key: 'noop', label: '(d) four pass-through middlewares (the chain alone)' },
  { key: 'touch', label: "(e) four middlewares that only read req and set req.membership/req.organization (no decision)" },
  { key: 'unshared', label: '(f) no guards, the request in dictionary mode as the guards leave it on V8 before 13' },
];
// For trying changes out: GUARDS_BENCH_VARIANTS=native,none runs just those (`none` is needed);
// `file:/path/to/app.mjs` adds an app whose module default-exports `(app, context) => void`.
const VARIANTS = process.env.GUARDS_BENCH_VARIANTS
  ? process.env.GUARDS_BENCH_VARIANTS.split(',').map((key) => ALL_VARIANTS.find((v) => v.key === key) ?? { key, label: key })
  : ALL_VARIANTS;

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
  const { table, ratio, median } = await import('./lib/format.mjs');
  const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—');
  const msf = (v) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : '—');

  // Runs (GUARDS_BENCH_RUNS, each with fresh app processes) taken together: requests, time, CPU
  // and API calls summed, latencies the median of the runs', every run's cycles kept apart.
  const pooled = (runs) => {
    const byApp = runs[0].byApp.map((_, i) => {
      const all = runs.map((r) => r.byApp[i]);
      const sum = (f) => all.reduce((total, x) => total + f(x), 0);
      const requests = sum((x) => x.ok + x.non2xx);
      const calls = (k) => Object.fromEntries(Object.keys(all[0][k]).map((name) => [name, sum((x) => x[k][name])]));
      return {
        rps: requests / sum((x) => x.seconds),
        p50: median(all.map((x) => x.p50)),
        p99: median(all.map((x) => x.p99)),
        ok: sum((x) => x.ok),
        non2xx: sum((x) => x.non2xx),
        errors: sum((x) => x.errors),
        cpuPerRequestUs: sum((x) => x.cpuPerRequestUs * (x.ok + x.non2xx)) / requests,
        callsMeasured: calls('callsMeasured'),
        callsTotal: calls('callsTotal'),
      };
    });
    const wholeRunMs = runs.reduce((total, r) => total + r.wholeRunMs, 0);
    // The cache keeps a membership for its TTL, and every run starts cold.
    const allowedMembershipCalls = runs.reduce((total, r) => total + MEMBERS * GOALS.membershipCallsPerPair * Math.ceil(r.wholeRunMs / TTL_MS), 0);
    return { byApp, cycles: runs.map((r) => r.cycles), wholeRunMs, allowedMembershipCalls };
  };

  // One API port per app, and one for the per-guard costs.
  const api = child('api', { GUARDS_BENCH_API_PORTS: String(VARIANTS.length + 1) });
  const { ports: apiPorts } = await api.wait((m) => m.ready);
  let run;
  let micro = [];
  let chain = NaN;
  try {
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await measureInterleaved(VARIANTS, apiPorts, api));
    run = pooled(runs);
    const m = child('micro', { GUARDS_BENCH_API_PORT: String(apiPorts[VARIANTS.length]) });
    ({ micro, chain } = await m.wait((x) => x.micro));
    await m.stop();
  } finally {
    await api.stop();
  }

  const results = Object.fromEntries(VARIANTS.map((v, i) => [v.key, run.byApp[i]]));
  const column = (key) => VARIANTS.findIndex((v) => v.key === key);
  // The ratio of req/s with its 95 % interval, by resampling: the runs (each its own
  // processes), then each drawn run's cycles (a cycle's slices of the two apps stay together).
  const interval = (key, over = 'none') => {
    const runs = run.cycles.map((cycles) => [cycles.map((c) => c[column(key)]), cycles.map((c) => c[column(over)])]);
    const random = mulberry32(0x5eed);
    const pick = (length) => Math.floor(random() * length);
    const draws = [];
    for (let k = 0; k < 4000; k++) {
      let sa = 0;
      let sb = 0;
      for (let r = 0; r < runs.length; r++) {
        const [a, b] = runs[runs.length === 1 ? 0 : pick(runs.length)];
        for (let j = 0; j < a.length; j++) {
          const i = pick(a.length);
          sa += a[i];
          sb += b[i];
        }
      }
      draws.push(sa / sb);
    }
    draws.sort((x, y) => x - y);
    return [draws[Math.floor(0.025 * draws.length)], draws[Math.floor(0.975 * draws.length) - 1]];
  };
  const range = ([low, high]) => `${ratio(low)}–${ratio(high)}`;
  // Each app's interval against the unguarded app, resampled once (the table and the goals use it).
  const vsNone = Object.fromEntries(VARIANTS.filter((v) => v.key !== 'none').map((v) => [v.key, interval(v.key)]));
  const none = results.none;

  const cycles = run.cycles[0].length;
  const out = (s = '') => console.log(s);
  out(`## Guards: Express 4, ${MEMBERS} members of one organization, ${CONNECTIONS} keep-alive connections`);
  out();
  out(
    `Route: \`requireAuth() → requireOrganization → requireRole('admin', 'owner') → requireFeature('${FLAG}')\` → \`res.json\`. ` +
      `The API answers after ${API_LATENCY_MS} ms. The ${VARIANTS.length} apps run side by side; after a ${WARMUP_MS / 1000} s warm-up each, the load moves between them ` +
      `in ${SLICE_MS} ms slices, ${cycles} cycles of one slice each (in orders where every app follows every other equally often): ${((cycles * SLICE_MS) / 1000).toFixed(0)} s of load per app${RUNS > 1 ? `, in each of ${RUNS} runs with fresh app processes (latencies: the median of the runs')` : ''}${QUICK ? ' (quick mode)' : ''}. ` +
      `Addon build: **${addonProfile}** · ${machine()}.`,
  );
  out();
  out(
    table(
      ['app', 'req/s', 'vs no guards', '95 % interval', 'p50', 'p99', 'app CPU / req', 'vs no guards (CPU)', 'non-2xx', 'API calls (measured)', 'API calls (whole run)'],
      VARIANTS.map(({ key, label }) => {
        const r = results[key];
        const calls = (c) => `${fmt(c.memberships + c.organization + c.featureFlags + c.other)} (m ${fmt(c.memberships)} · o ${fmt(c.organization)} · f ${fmt(c.featureFlags)})`;
        return [
          label,
          fmt(r.rps),
          ratio(r.rps / none.rps),
          key === 'none' ? '' : range(vsNone[key]),
          msf(r.p50),
          msf(r.p99),
          `${fmt(r.cpuPerRequestUs)} µs`,
          ratio(none.cpuPerRequestUs / r.cpuPerRequestUs),
          fmt(r.non2xx + r.errors),
          calls(r.callsMeasured),
          calls(r.callsTotal),
        ];
      }),
    ),
  );
  out();
  out(
    (RUNS === 1
      ? '"vs no guards" is over all slices; its 95 % interval comes from resampling the cycles (the slices of one cycle kept together): how closely this run\'s slices fix the ratio (what differs between processes of one app, such as how V8 compiled it, is not in it; GUARDS_BENCH_RUNS=n takes that in). '
      : `"vs no guards" is over all slices of the ${RUNS} runs; its 95 % interval comes from resampling the runs, then the cycles of each (the slices of one cycle kept together), so what differs between processes of one app is in it. `) +
      '"vs no guards (CPU)" is the unguarded app\'s CPU time per request over this app\'s: the throughput ratio a CPU-bound app would see.',
  );
  out("(d) and (e) are not goals: (d) is what four middleware layers cost in Express 4 whatever they do; (e) adds what setting req.membership and req.organization on Express's request objects costs (Express sets each request's prototype; on Node 20 to 23 V8 then gives every property added to that object a hidden class of its own, from Node 24 on it shares them), which any guard doing what the seed does pays. The guards' own share is (e) → (a). " +
    "(f) is (c) with the request turned to dictionary mode, as workos-native's guards leave it on V8 before 13 (Node 20 to 23), where that spares every later access to the request a miss in V8's caches; here it is done on every V8, and on Node 24 and later, which the guards leave alone, it shows what it would cost there. (f) → (a) is the guards' cost without that effect on Node 20 to 23.");
  out('API calls: m = membership lists, o = organization reads, f = feature-flag lists. "Measured" is the measured slices only; "whole run" adds the warm-up, from a cold start.');

  out();
  out('### Where the time goes: the workos-native guards, warm, called directly (no HTTP, no Express)');
  out();
  out('Each on a fresh request that has just passed the guards before it, as in the route (the chain up to it less the chain before it); every request decided synchronously.');
  out();
  out(
    table(
      ['guard', 'µs per request'],
      [...micro.map((r) => [`\`${r.name}\``, r.us.toFixed(2)]), ['all four, in a row', chain.toFixed(2)]],
    ),
  );
  out();
  out(`For scale: the unguarded app spends ${fmt(none.cpuPerRequestUs)} µs of CPU per request (table above).`);

  const ratioNative = results.native.rps / none.rps;
  const nativeInterval = vsNone.native;
  // Met when the whole interval clears the goal; not met when it all falls short.
  const verdict = ([low, high]) => (low >= GOALS.nativeVsUnguarded ? 'yes' : high < GOALS.nativeVsUnguarded ? '**no**' : `not decided by ${RUNS === 1 ? 'this run' : 'these runs'}`);
  const cpuRatioNative = none.cpuPerRequestUs / results.native.cpuPerRequestUs;
  const membershipCalls = results.native.callsTotal.memberships;
  const { allowedMembershipCalls } = run;
  const allOk = Object.values(results).every((r) => r.non2xx === 0 && r.errors === 0 && r.ok > 0);
  out();
  out('### Goals');
  out();
  out(
    table(
      ['goal', 'measured', 'met'],
      [
        [`workos-native ≥ ${GOALS.nativeVsUnguarded}× the unguarded app's req/s`, `${ratio(ratioNative)} (95 % interval ${range(nativeInterval)})`, verdict(nativeInterval)],
        [`(same, by app CPU time per request)`, ratio(cpuRatioNative), cpuRatioNative >= GOALS.nativeVsUnguarded ? 'yes' : '**no**'],
        [
          `at most ${GOALS.membershipCallsPerPair} membership call per (user, organization) per TTL (${TTL_MS / 1000} s): ≤ ${fmt(allowedMembershipCalls)} in ${RUNS === 1 ? 'this' : `these ${RUNS} runs'`} ${(run.wholeRunMs / 1000).toFixed(0)} s${RUNS === 1 ? ' run' : ''}`,
          fmt(membershipCalls),
          membershipCalls <= allowedMembershipCalls ? 'yes' : '**no**',
        ],
        ['every response 2xx, no socket error (all apps)', allOk ? 'yes' : 'no', allOk ? 'yes' : '**no**'],
      ],
      ['l', 'r', 'l'],
    ),
  );
  const touch = results.touch;
  if (touch !== undefined) {
    out();
    out(
      `For reference, not a goal: workos-native against (e), which does to each request only what the guards' API requires (set req.membership and req.organization): ` +
        `${ratio(results.native.rps / touch.rps)} its req/s (95 % interval ${range(interval('native', 'touch'))}), ${ratio(touch.cpuPerRequestUs / results.native.cpuPerRequestUs)} by CPU time per request.`,
    );
  }
  const unshared = results.unshared;
  if (unshared !== undefined) {
    out();
    out(
      `Nor is this: workos-native against (f), the unguarded app with the request in dictionary mode (on Node 20 to 23, what the guards cost besides that): ` +
        `${ratio(results.native.rps / unshared.rps)} its req/s (95 % interval ${range(interval('native', 'unshared'))}), ${ratio(unshared.cpuPerRequestUs / results.native.cpuPerRequestUs)} by CPU time per request.`,
    );
  }
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
