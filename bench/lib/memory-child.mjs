// Run in a fresh process: `node memory-child.mjs <port> <count>`. Walks `count` organizations
// with workos-native `for await` and prints JSON: peak RSS above the baseline taken after
// loading the addon and creating the client.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { orgId } from './org-server.mjs';

const [port, count] = process.argv.slice(2).map(Number);
const { WorkOS } = createRequire(import.meta.url)('../../index.js');

function highWaterMark() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const workos = new WorkOS('sk_test_bench', { apiHostname: '127.0.0.1', port, https: false });
await new Promise((r) => setTimeout(r, 50));
const base = process.memoryUsage();
let peakRss = base.rss;
let peakHeap = base.heapUsed;
let n = 0;
let inOrder = true;
const started = performance.now();
for await (const org of await workos.organizations.listOrganizations()) {
  if (org.id !== orgId(count - 1 - n)) inOrder = false;
  if (++n % 100 === 0) {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  }
}
const ms = performance.now() - started;
const hwm = highWaterMark();
console.log(
  JSON.stringify({
    count: n,
    inOrder,
    ms,
    baselineRss: base.rss,
    peakRssAbove: peakRss - base.rss,
    hwmAbove: hwm === null ? null : hwm - base.rss,
    peakHeapAbove: peakHeap - base.heapUsed,
  }),
);
