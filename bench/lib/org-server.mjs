// A WorkOS-like `GET /organizations` (cursor pagination, as the API pages) for benchmarks. It
// runs in a CHILD process, so its CPU time is not charged to the client being measured.
//
//   const server = await startOrgServer({ count: 10_000, latencyMs: 20 });
//   server.url, server.port, await server.stats(), await server.close()
//
// Items are WorkOS wire organizations with one domain each; organization i (0 = oldest) has id
// `org_<i padded to 6>`. `latencyMs` delays every response. Pages follow the API's rules:
// limit default 10, at most 100; order desc (default) | asc; `after`/`before` cursors.

import http from 'node:http';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

export const orgId = (i) => `org_${String(i).padStart(6, '0')}`;

const T0 = Date.parse('2024-01-01T00:00:00.000Z');

/** Organization i as the API sends it. */
export function wireOrganization(i) {
  const id = orgId(i);
  const at = new Date(T0 + i * 1000).toISOString();
  return {
    object: 'organization',
    id,
    name: `Organization ${i}`,
    allow_profiles_outside_organization: false,
    domains: [
      {
        object: 'organization_domain',
        id: `org_domain_${String(i).padStart(6, '0')}`,
        domain: `org-${i}.example.com`,
        organization_id: id,
        state: 'verified',
        verification_strategy: 'dns',
        verification_token: `vt_${i.toString(36)}`,
        created_at: at,
        updated_at: at,
      },
    ],
    stripe_customer_id: null,
    created_at: at,
    updated_at: at,
    external_id: `ext_${i}`,
    metadata: { tier: i % 2 ? 'pro' : 'free' },
  };
}

/** Forks this file as a server; resolves once it listens. */
export async function startOrgServer({ count, latencyMs = 0, cache = count <= 20_000 } = {}) {
  const child = fork(SELF, [], {
    env: { ...process.env, ORG_SERVER_COUNT: String(count), ORG_SERVER_LATENCY_MS: String(latencyMs), ORG_SERVER_CACHE: cache ? '1' : '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`org server exited with code ${code}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    /** `{ requests }` served so far. */
    stats() {
      return new Promise((resolve) => {
        child.once('message', resolve);
        child.send({ stats: true });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      });
    },
  };
}

function serve() {
  const count = Number(process.env.ORG_SERVER_COUNT);
  const latency = Number(process.env.ORG_SERVER_LATENCY_MS) || 0;
  const cached = process.env.ORG_SERVER_CACHE ? Array.from({ length: count }, (_, i) => JSON.stringify(wireOrganization(i))) : null;
  const json = (i) => (cached ? cached[i] : JSON.stringify(wireOrganization(i)));
  const indexOf = (id) => {
    const m = /^org_(\d+)$/.exec(id ?? '');
    const i = m ? Number(m[1]) : -1;
    return i >= 0 && i < count ? i : -1;
  };
  let requests = 0;

  function page(query) {
    let limit = Number.parseInt(query.get('limit') ?? '', 10);
    if (!Number.isFinite(limit)) limit = 10;
    limit = Math.max(1, Math.min(limit, 100));
    const asc = query.get('order') === 'asc';
    const indexAt = (pos) => (asc ? pos : count - 1 - pos);
    const positionOf = (id) => {
      const i = indexOf(id);
      return i === -1 ? -1 : asc ? i : count - 1 - i;
    };
    const afterPos = positionOf(query.get('after'));
    const beforePos = positionOf(query.get('before'));
    let start = afterPos === -1 ? 0 : afterPos + 1;
    let end = beforePos === -1 ? count : beforePos;
    if (end < start) end = start;
    if (afterPos === -1 && beforePos !== -1) start = Math.max(0, end - limit);
    else end = Math.min(end, start + limit);
    const parts = [];
    for (let pos = start; pos < end; pos++) parts.push(json(indexAt(pos)));
    const before = parts.length > 0 && start > 0 ? JSON.stringify(orgId(indexAt(start))) : 'null';
    const after = parts.length > 0 && end < count ? JSON.stringify(orgId(indexAt(end - 1))) : 'null';
    return `{"object":"list","data":[${parts.join(',')}],"list_metadata":{"before":${before},"after":${after}}}`;
  }

  const server = http.createServer((req, res) => {
    requests++;
    const url = new URL(req.url, 'http://x');
    const send = () => {
      const body = url.pathname === '/organizations' ? page(url.searchParams) : '{"message":"not found"}';
      res.writeHead(url.pathname === '/organizations' ? 200 : 404, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-request-id': `req_${requests}`,
      });
      res.end(body);
    };
    req.resume();
    if (latency > 0) setTimeout(send, latency);
    else send();
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', (m) => {
    if (m?.stats) process.send({ requests });
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[1] === SELF && process.send) serve();
