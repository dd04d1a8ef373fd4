// Runs one scenario `(client) => result` with the official SDK (@workos-inc/node 8.13.0) and
// with workos-native, both pointed at the same recording proxy in front of a server (the mock,
// the emulator or the overlay), and reports what each got and what each sent.
//
//   const parity = await startParity(mock);            // or startParity(overlay)
//   const run = await parity.run((w) => w.organizations.getOrganization('org_1'), { errors: true });
//   assertParity(run);                                  // equal except the listed differences
//   run.official.outcome / run.native.outcome           // { value } | { error: { class, ...fields, message } }
//   run.official.requests / run.native.requests         // [{ method, path, query, body, headers }]
//   await parity.close();
//
// The proxy records every exchange (request, response status and X-Request-ID) so that
// requestIDs can be checked against the response they came from. The official client runs
// first, then workos-native; `setup(side)` runs before each (to enqueue one-shot mock responses,
// reset the emulator, …) so both meet the same server state.

import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { recordRequest } from './mock-server.mjs';
import { WorkOS as OfficialWorkOS } from './official.mjs';
import {
  normalizeOutcome,
  normalizeRequest,
  officialUserAgent,
  nativeUserAgent,
  settleRequestIds,
  withoutGeneratedIdempotencyKeys,
} from './differences.mjs';

const require = createRequire(import.meta.url);
const native = require('../../index.js');
export const NativeWorkOS = native.WorkOS;
export { OfficialWorkOS };

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

function readRaw(req) {
  return new Promise((resolve) => {
    const chunks = [];
    const done = () => resolve(Buffer.concat(chunks));
    req.on('data', (c) => chunks.push(c));
    req.on('end', done);
    req.on('error', done);
    req.on('aborted', done);
  });
}

/**
 * A transparent HTTP proxy to `target` ({ url } or { hostname, port }) recording each exchange:
 * the request (mock-server.mjs recordRequest shape) plus `response: { status, requestId,
 * retryAfter } | { failed: true }` and `at` (ms timestamp of arrival). Bodies are streamed, so
 * slow or broken upstream bodies reach the client slow or broken.
 */
export async function startRecorder(target) {
  const upstream = new URL(target.url ?? `http://${target.hostname}:${target.port}`);
  const agent = new http.Agent({ keepAlive: true });
  const exchanges = [];
  const sockets = new Set();
  let inflight = 0;
  let closed = false;

  const server = http.createServer(async (req, res) => {
    inflight++;
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        inflight--;
      }
    };
    res.on('close', finish);
    res.on('error', () => {});
    const raw = await readRaw(req);
    const record = { ...recordRequest(req, raw.toString('utf8')), at: Date.now(), response: null };
    exchanges.push(record);
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.includes(k)) headers[k] = v;
    const up = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (upRes) => {
        record.response = {
          status: upRes.statusCode,
          requestId: upRes.headers['x-request-id'] ?? '',
          retryAfter: upRes.headers['retry-after'],
        };
        const out = {};
        for (const [k, v] of Object.entries(upRes.headers)) if (!HOP_BY_HOP.includes(k)) out[k] = v;
        const broken = () => {
          res.destroy();
          req.socket.destroy();
        };
        upRes.on('aborted', broken);
        upRes.on('error', broken);
        try {
          res.writeHead(upRes.statusCode, out);
          res.flushHeaders();
        } catch {
          broken();
          return;
        }
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      record.response ??= { failed: true };
      if (record.response.failed) req.socket.destroy();
      finish();
    });
    // The client gave up (e.g. its timeout): stop the upstream exchange too.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    up.end(raw.length > 0 ? raw : undefined);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (err, socket) => socket.destroy());
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = server.address().port;
  return {
    url: `http://127.0.0.1:${port}`,
    hostname: '127.0.0.1',
    port,
    apiKey: target.apiKey,
    exchanges,
    /** Resolves once no exchange is in flight (after `quietMs` without a new one starting). */
    async idle(quietMs = 25) {
      for (;;) {
        const seen = exchanges.length;
        await new Promise((r) => setTimeout(r, quietMs));
        if (inflight === 0 && exchanges.length === seen) return;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise((ok) => server.close(() => ok()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections?.();
      agent.destroy();
      await done;
    },
  };
}

async function settle(fn) {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error };
  }
}

/**
 * Starts a recorder in front of `target` and returns the runner:
 *   officialClient(opts) / nativeClient(opts)  clients pointed at the recorder
 *   run(scenario, options)                     both outcomes and request lists (see below)
 *   exchanges, url, port, hostname, apiKey, close()
 */
export async function startParity(target, { apiKey = target.apiKey ?? 'sk_test_default' } = {}) {
  const recorder = await startRecorder(target);
  const base = { apiHostname: recorder.hostname, port: recorder.port, https: false };

  const parity = {
    recorder,
    exchanges: recorder.exchanges,
    url: recorder.url,
    hostname: recorder.hostname,
    port: recorder.port,
    apiKey,
    officialClient(opts = {}) {
      return new OfficialWorkOS(opts.apiKey ?? apiKey, { ...base, ...opts });
    },
    nativeClient(opts = {}) {
      return new NativeWorkOS(opts.apiKey ?? apiKey, { ...base, ...opts });
    },

    /**
     * Runs `scenario(client)` with the official client, then with workos-native's.
     *   errors   true: workos-native gets `maxRetries: 0` (so retries cannot apply)
     *   options  client options for both (e.g. { appInfo, config, apiKey })
     *   official / native  extra client options for one side only
     *   setup(side)        runs before each side ('official' | 'native')
     * Returns { official, native }, each { outcome, settled, requests, exchanges, options }:
     *   outcome   { value } | { error } normalised (differences.mjs normalizeOutcome)
     *   settled   { value } | { error } as thrown/resolved (for instanceof, aliases…)
     *   requests  normalised requests (differences.mjs normalizeRequest)
     *   exchanges the raw recorded exchanges
     */
    async run(scenario, { errors = false, options = {}, official = {}, native: nativeOpts = {}, setup } = {}) {
      const sides = {
        official: { ...options, ...official },
        native: { ...(errors ? { maxRetries: 0 } : {}), ...options, ...nativeOpts },
      };
      const out = {};
      for (const side of ['official', 'native']) {
        await setup?.(side);
        await recorder.idle(5);
        const mark = recorder.exchanges.length;
        const client = side === 'official' ? parity.officialClient(sides[side]) : parity.nativeClient(sides[side]);
        const settled = await settle(() => scenario(client, side));
        await recorder.idle();
        const exchanges = recorder.exchanges.slice(mark);
        out[side] = {
          settled,
          outcome: normalizeOutcome(settled),
          requests: exchanges.map(normalizeRequest),
          exchanges,
          options: sides[side],
        };
      }
      return out;
    },

    close: () => recorder.close(),
  };
  return parity;
}

/**
 * Asserts that a run's two sides are equal except for the listed differences:
 *   - every request's User-Agent is each SDK's own ('user-agent');
 *   - the requests are equal once workos-native's generated Idempotency-Keys are checked and set
 *     aside ('idempotency-key');
 *   - the outcomes are deepStrictEqual once requestIDs are checked against the X-Request-ID of
 *     the response each side got ('request-id').
 * `normalize(value)` (optional) is applied to both resolved values first (e.g. to blank ids the
 * emulator generates). Returns the run for chaining.
 */
export function assertParity(run, { normalize } = {}) {
  const { official, native: ours } = run;
  for (const [side, expected] of [
    ['official', officialUserAgent(official.options.appInfo)],
    ['native', nativeUserAgent(ours.options.appInfo)],
  ]) {
    for (const ex of run[side].exchanges) assert.equal(ex.headers['user-agent'], expected, `${side} User-Agent`);
  }

  const retries = ours.options.maxRetries !== 0;
  const nativeRequests = withoutGeneratedIdempotencyKeys(official.requests, ours.requests, { retries });
  assert.deepStrictEqual(nativeRequests, official.requests, 'requests sent');

  const lastRequestId = (side) => run[side].exchanges.at(-1)?.response?.requestId ?? '';
  const prepare = (side) => {
    const o = run[side].outcome;
    if ('error' in o) return { error: settleRequestIds(o.error, side, lastRequestId(side)) };
    return { value: normalize ? normalize(o.value) : o.value };
  };
  assert.deepStrictEqual(prepare('native'), prepare('official'), 'outcomes');
  return run;
}

/**
 * A `normalize` for assertParity: replaces the values of the named keys (at any depth, where the
 * value is not undefined) with `<key>`, keeping every key in place. For values the emulator
 * generates (ids, timestamps, secrets), which two separate creations cannot share.
 */
export function blank(...keys) {
  const walk = (v) => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
    const out = {};
    for (const k of Object.keys(v)) out[k] = keys.includes(k) && v[k] !== undefined ? `<${k}>` : walk(v[k]);
    return out;
  };
  return walk;
}
