// Pagination benchmark: the time to obtain every one of 10,000 organizations (pages of 100)
// from a local WorkOS-like server, with no added latency and with 20 ms per request, for
// workos-native and the official SDK, against a plain `fetch` walk (the floor). Then the peak
// RSS of walking 100,000 items with workos-native `for await`, in a fresh process.
//
//   node bench/pagination.mjs            (or `npm run bench`, which builds release first)
//   BENCH_QUICK=1 node bench/pagination.mjs   fewer runs, no official autoPagination()

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { WorkOS as OfficialWorkOS } from '@workos-inc/node';

import { startOrgServer, orgId } from './lib/org-server.mjs';
import { buildProfile, machine } from './lib/build-info.mjs';
import { table, ms, ratio, mib, median } from './lib/format.mjs';

const { WorkOS } = createRequire(import.meta.url)('../index.js');

const COUNT = 10_000;
const MEMORY_COUNT = 100_000;
const LATENCIES = [0, 20];
const QUICK = Boolean(process.env.BENCH_QUICK);
const RUNS = QUICK ? { 0: 2, 20: 1 } : { 0: 7, 20: 3 };
const API_KEY = 'sk_test_bench';

const GOALS = {
  forAwaitVsFloor: 1.1, // at most, at both latencies
  autoSpeedupVsFloorAt20: 1.8, // at least
  autoSpeedupVsOfficialAt20: 50, // at least
  memoryMiB: 64, // below
};

// ---------------------------------------------------------------------------------------
// The ways to obtain every organization. Each resolves to the items, in API order (desc).

const methods = [
  {
    key: 'floor',
    label: 'plain `fetch` + `res.json()`, pages one after another (floor)',
    async run({ url }) {
      const headers = { Authorization: `Bearer ${API_KEY}`, Accept: 'application/json' };
      const items = [];
      let after = null;
      do {
        const res = await fetch(`${url}/organizations?limit=100&order=desc${after ? `&after=${after}` : ''}`, { headers });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const page = await res.json();
        for (const item of page.data) items.push(item);
        after = page.list_metadata.after;
      } while (after);
      return items;
    },
  },
  {
    key: 'forAwait',
    label: 'workos-native `for await (const org of await listOrganizations())`',
    async run({ native }) {
      const items = [];
      for await (const org of await native.organizations.listOrganizations()) items.push(org);
      return items;
    },
  },
  {
    key: 'autoNative',
    label: 'workos-native `(await listOrganizations()).autoPagination()`',
    async run({ native }) {
      return (await native.organizations.listOrganizations()).autoPagination();
    },
  },
  {
    key: 'officialLoop',
    label: 'official `listOrganizations({ limit: 100, after })` loop',
    async run({ official }) {
      const items = [];
      let after;
      do {
        const page = await official.organizations.listOrganizations({ limit: 100, after });
        for (const item of page.data) items.push(item);
        after = page.listMetadata.after ?? undefined;
      } while (after);
      return items;
    },
  },
  {
    key: 'autoOfficial',
    label: 'official `(await listOrganizations()).autoPagination()` (one run)',
    once: true,
    async run({ official }) {
      return (await official.organizations.listOrganizations()).autoPagination();
    },
  },
];

function check(items, label) {
  const ok =
    items.length === COUNT &&
    items[0].id === orgId(COUNT - 1) &&
    items[COUNT - 1].id === orgId(0) &&
    items.every((o, i) => o.id === orgId(COUNT - 1 - i));
  if (!ok) throw new Error(`${label}: got ${items.length} items, not the ${COUNT} expected in order`);
}

async function measure(method, ctx) {
  const before = (await ctx.server.stats()).requests;
  const t0 = performance.now();
  const items = await method.run(ctx);
  const elapsed = performance.now() - t0;
  const requests = (await ctx.server.stats()).requests - before;
  check(items, method.label);
  return { elapsed, requests };
}

async function atLatency(latencyMs) {
  const server = await startOrgServer({ count: COUNT, latencyMs });
  try {
    const ctx = {
      server,
      url: server.url,
      native: new WorkOS(API_KEY, { apiHostname: '127.0.0.1', port: server.port, https: false }),
      official: new OfficialWorkOS(API_KEY, { apiHostname: '127.0.0.1', port: server.port, https: false }),
    };
    const repeated = methods.filter((m) => !m.once);
    if (latencyMs === 0) for (const m of repeated) await measure(m, ctx); // warm up (JIT, pools)
    const results = Object.fromEntries(methods.map((m) => [m.key, { times: [], requests: 0 }]));
    for (let run = 0; run < RUNS[latencyMs]; run++) {
      for (const m of repeated) {
        const { elapsed, requests } = await measure(m, ctx);
        results[m.key].times.push(elapsed);
        results[m.key].requests = requests;
      }
    }
    for (const m of methods.filter((m) => m.once)) {
      if (QUICK) continue;
      const { elapsed, requests } = await measure(m, ctx);
      results[m.key].times.push(elapsed);
      results[m.key].requests = requests;
    }
    for (const r of Object.values(results)) r.ms = r.times.length ? median(r.times) : NaN;
    return results;
  } finally {
    await server.close();
  }
}

async function memory() {
  const server = await startOrgServer({ count: MEMORY_COUNT, latencyMs: 0 });
  try {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./lib/memory-child.mjs', import.meta.url)), String(server.port), String(MEMORY_COUNT)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`memory child exited with ${code}`);
    const r = JSON.parse(out);
    if (r.count !== MEMORY_COUNT || !r.inOrder) throw new Error(`memory child saw ${r.count} items (in order: ${r.inOrder})`);
    return r;
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------

const profile = buildProfile();
const out = (s = '') => process.stdout.write(`${s}\n`);

out(`## Pagination: ${COUNT.toLocaleString('en')} organizations`);
out();
out(
  `Build: **${profile}**${profile === 'release' ? '' : ' (run `npm run build` first: these numbers do not describe the release addon)'} · ${machine()}`,
);
out(
  `Server: local HTTP in a child process, WorkOS wire organizations with one domain each, default page 10, max 100. ` +
    `Median of ${RUNS[0]} runs at 0 ms and ${RUNS[20]} at 20 ms per request${QUICK ? ' (quick mode: official autoPagination() skipped)' : '; official autoPagination() runs once per latency (it sleeps 350 ms between pages)'}.`,
);
out();

const byLatency = {};
for (const latency of LATENCIES) byLatency[latency] = await atLatency(latency);

const rows = methods.map((m) => {
  const cells = [m.label];
  for (const latency of LATENCIES) {
    const r = byLatency[latency][m.key];
    const floor = byLatency[latency].floor.ms;
    cells.push(String(r.requests || '—'), ms(r.ms), ratio(r.ms / floor));
  }
  return cells;
});
out(table(['Method', 'requests', '0 ms/request', '× floor', 'requests', '20 ms/request', '× floor'], rows));
out();

const mem = await memory();
out(`### Memory: ${MEMORY_COUNT.toLocaleString('en')} organizations with workos-native \`for await\` (fresh process)`);
out();
out(
  table(
    ['Measure', 'Value'],
    [
      ['RSS at baseline (addon loaded, client created)', mib(mem.baselineRss)],
      ['Peak RSS above baseline (sampled every 100 items)', mib(mem.peakRssAbove)],
      ['Peak RSS above baseline (VmHWM)', mem.hwmAbove === null ? '—' : mib(mem.hwmAbove)],
      ['Peak V8 heap above baseline', mib(mem.peakHeapAbove)],
      ['Walk time', ms(mem.ms)],
    ],
  ),
);
out();

const at = (latency, key) => byLatency[latency][key].ms;
const peakMiB = Math.max(mem.peakRssAbove, mem.hwmAbove ?? 0) / 2 ** 20;
const goals = [
  ['`for await` vs floor, 0 ms', `≤ ${GOALS.forAwaitVsFloor}×`, at(0, 'forAwait') / at(0, 'floor'), (v) => v <= GOALS.forAwaitVsFloor, ratio],
  ['`for await` vs floor, 20 ms', `≤ ${GOALS.forAwaitVsFloor}×`, at(20, 'forAwait') / at(20, 'floor'), (v) => v <= GOALS.forAwaitVsFloor, ratio],
  ['`autoPagination()` speed-up over the floor, 20 ms', `≥ ${GOALS.autoSpeedupVsFloorAt20}×`, at(20, 'floor') / at(20, 'autoNative'), (v) => v >= GOALS.autoSpeedupVsFloorAt20, ratio],
  ['`autoPagination()` speed-up over official `autoPagination()`, 20 ms', `≥ ${GOALS.autoSpeedupVsOfficialAt20}×`, at(20, 'autoOfficial') / at(20, 'autoNative'), (v) => v >= GOALS.autoSpeedupVsOfficialAt20, ratio],
  [`Peak RSS above baseline, ${MEMORY_COUNT.toLocaleString('en')} items`, `< ${GOALS.memoryMiB} MiB`, peakMiB, (v) => v < GOALS.memoryMiB, (v) => `${v.toFixed(1)} MiB`],
];
out('### Goals');
out();
out(
  table(
    ['Goal', 'Target', 'Measured', 'Met'],
    goals.map(([name, target, v, pass, fmt]) => [name, target, fmt(v), Number.isNaN(v) ? 'not measured' : pass(v) ? 'yes' : '**no**']),
    ['l', 'r', 'r', 'l'],
  ),
);
out();
