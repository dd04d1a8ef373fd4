// The transport against the recording mock server: retries (statuses, network errors,
// Retry-After), the timeout, idempotency keys on retried POSTs, typed exceptions, request
// headers, and a process that exits when its work is done. Each test has its own mock and
// client, so the slow ones (real Retry-After/backoff waits) run at the same time.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

import { startMock } from './helpers/mock-server.mjs';
import { officialClient } from './helpers/official.mjs';
import { nativeClient, organizations, wireOrganization, workosNative } from './helpers/wire-fixtures.mjs';

const {
  BadRequestException,
  ConflictException,
  GenericServerException,
  NotFoundException,
  OauthException,
  RateLimitExceededException,
  UnauthorizedException,
  UnprocessableEntityException,
} = workosNative;
const INDEX_JS = fileURLToPath(new URL('../index.js', import.meta.url));
const { version: VERSION } = createRequire(import.meta.url)('../package.json');

const mocks = new Set();
after(async () => {
  await Promise.all([...mocks].map((m) => m.close()));
});

/** A fresh mock serving `GET /organizations/org_ok` and `POST /organizations` (201). */
async function setup(clientOptions = {}) {
  const mock = await startMock();
  mocks.add(mock);
  mock.route('GET', '/organizations/org_ok', { json: wireOrganization(1) });
  mock.route('POST', '/organizations', (req) => ({ status: 201, json: { ...wireOrganization(2), name: req.json?.name } }));
  const workos = nativeClient(mock, clientOptions);
  return { mock, workos };
}

/** The client answers a plain call normally (after a fault, say). */
async function assertUsable(workos, mock) {
  const before = mock.requests.length;
  const org = await workos.organizations.getOrganization('org_ok');
  assert.equal(org.id, wireOrganization(1).id);
  assert.equal(mock.requests.length, before + 1);
}

const gaps = (requests) => requests.slice(1).map((r, i) => r.receivedAt - requests[i].receivedAt);
const ORG = '/organizations/org_1';
const ok = { json: wireOrganization(1) };

describe('retries', { concurrency: true }, () => {
  test('429 with Retry-After: 1, then success: waits about a second, two requests', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', ORG, { status: 429, json: { message: 'slow down' }, headers: { 'Retry-After': '1' } }, ok);
    const org = await workos.organizations.getOrganization('org_1');
    assert.equal(org.id, wireOrganization(1).id);
    assert.equal(mock.requests.length, 2);
    const [gap] = gaps(mock.requests);
    assert.ok(gap >= 950 && gap < 2000, `waited ${gap.toFixed(0)} ms`);
    await assertUsable(workos, mock);
  });

  test('503 twice, then success: jittered exponential backoff (≈500 ms, ≈750 ms)', async () => {
    const { mock, workos } = await setup();
    const busy = { status: 503, json: { message: 'busy' } };
    mock.enqueue('GET', ORG, busy, busy, ok);
    const org = await workos.organizations.getOrganization('org_1');
    assert.equal(org.id, wireOrganization(1).id);
    assert.equal(mock.requests.length, 3);
    const [g1, g2] = gaps(mock.requests);
    // 500 ms × 1.5^n × jitter in [0.5, 1.5)
    assert.ok(g1 >= 240 && g1 < 1000, `first wait ${g1.toFixed(0)} ms`);
    assert.ok(g2 >= 360 && g2 < 1400, `second wait ${g2.toFixed(0)} ms`);
    await assertUsable(workos, mock);
  });

  test('every retryable status (408, 429, 500, 502, 503, 504) is retried', async () => {
    const { mock, workos } = await setup();
    const statuses = [408, 429, 500, 502, 503, 504];
    mock.enqueue(
      'GET',
      ORG,
      ...statuses.map((status) => ({ status, json: { message: `s${status}` }, headers: { 'Retry-After': '0' } })),
      ok,
    );
    const org = await nativeClient(mock, { maxRetries: 6 }).organizations.getOrganization('org_1');
    assert.equal(org.id, wireOrganization(1).id);
    assert.equal(mock.requests.length, statuses.length + 1);
    await assertUsable(workos, mock);
  });

  test('a connection reset, then success', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', ORG, { reset: true }, ok);
    const org = await workos.organizations.getOrganization('org_1');
    assert.equal(org.id, wireOrganization(1).id);
    assert.equal(mock.requests.length, 2);
    await assertUsable(workos, mock);
  });

  test('a connection cut in the middle of the body, then success', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', ORG, { resetMidBody: true, json: wireOrganization(1) }, ok);
    const org = await workos.organizations.getOrganization('org_1');
    assert.equal(org.id, wireOrganization(1).id);
    assert.equal(mock.requests.length, 2);
    await assertUsable(workos, mock);
  });

  test('a 502 with an HTML body (a proxy) is retried too', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', ORG, { status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html', headers: { 'Retry-After': '0' } }, ok);
    assert.equal((await workos.organizations.getOrganization('org_1')).id, wireOrganization(1).id);
    assert.equal(mock.requests.length, 2);
  });

  test('the default maxRetries is 3: four attempts, then the exception', async () => {
    const { mock, workos } = await setup();
    mock.route('GET', ORG, { status: 500, json: { message: 'down' }, headers: { 'Retry-After': '0' } });
    await assert.rejects(workos.organizations.getOrganization('org_1'), (err) => err instanceof GenericServerException && err.status === 500);
    await sleep(50);
    assert.equal(mock.requests.length, 4);
  });

  test('many calls at once, a third of them failing once: all succeed', async () => {
    const { mock, workos } = await setup();
    let n = 0;
    const seen = new Set();
    mock.route('GET', /^\/organizations\/org_c(?<i>\d+)$/, (req) => {
      n++;
      const i = Number(req.params.i);
      if (i % 3 === 0 && !seen.has(i)) {
        seen.add(i);
        return i % 2 === 0 ? { reset: true } : { status: 503, json: { message: 'busy' }, headers: { 'Retry-After': '0' } };
      }
      return { json: { ...wireOrganization(i), id: `org_c${i}` } };
    });
    const ids = Array.from({ length: 150 }, (_, i) => `org_c${i}`);
    const orgs = await Promise.all(ids.map((id) => workos.organizations.getOrganization(id)));
    assert.deepEqual(
      orgs.map((o) => o.id),
      ids,
    );
    assert.equal(n, 150 + 50);
    await assertUsable(workos, mock);
  });

  test('retries give up after maxRetries and throw the last typed exception', async () => {
    const { mock, workos } = await setup({ maxRetries: 2 });
    mock.route('GET', ORG, { status: 503, json: { message: 'still busy' }, headers: { 'Retry-After': '0' } });
    await assert.rejects(workos.organizations.getOrganization('org_1'), (err) => {
      assert.ok(err instanceof GenericServerException);
      assert.equal(err.status, 503);
      assert.equal(err.message, 'still busy');
      assert.equal(err.requestID, 'req_3');
      return true;
    });
    assert.equal(mock.requests.length, 3);
    await assertUsable(workos, mock);
  });

  test('Retry-After as an HTTP date: waits until then; a past date retries at once', async () => {
    const { mock, workos } = await setup();
    // Made when the request arrives. Second resolution: the wait is (1 s, 2 s].
    let in2s;
    mock.enqueue(
      'GET',
      ORG,
      () => {
        in2s = new Date(Date.now() + 2000).toUTCString();
        return { status: 503, json: { message: 'later' }, headers: { 'Retry-After': in2s } };
      },
      () => ({ status: 429, json: { message: 'now' }, headers: { 'Retry-After': new Date(Date.now() - 60_000).toUTCString() } }),
      ok,
    );
    assert.equal((await workos.organizations.getOrganization('org_1')).id, wireOrganization(1).id);
    assert.equal(mock.requests.length, 3);
    const [g1, g2] = gaps(mock.requests);
    assert.ok(g1 >= 950 && g1 < 2600, `waited ${g1.toFixed(0)} ms for ${in2s}`);
    // The backoff alone would wait at least 375 ms.
    assert.ok(g2 < 300, `waited ${g2.toFixed(0)} ms for a past date`);
    await assertUsable(workos, mock);
  });

  test('a slow body past the timeout: OauthException 408 after the retries', async () => {
    const { mock, workos } = await setup({ timeout: 300, maxRetries: 1 });
    // Headers at once, then one byte every 50 ms: the whole body would take seconds.
    const drip = { dripMs: 50, json: wireOrganization(1) };
    mock.enqueue('GET', ORG, drip, drip);
    const started = performance.now();
    await assert.rejects(workos.organizations.getOrganization('org_1'), (err) => {
      assert.ok(err instanceof OauthException, `${err?.name}: ${err?.message}`);
      assert.equal(err.status, 408);
      assert.equal(err.error, 'Request timeout');
      assert.equal(err.message, 'Error: Request timeout');
      assert.deepEqual(err.rawData, { error: 'Request timeout' });
      return true;
    });
    const took = performance.now() - started;
    assert.equal(mock.requests.length, 2);
    assert.ok(took >= 2 * 300 && took < 2500, `took ${took.toFixed(0)} ms`);
    await assertUsable(workos, mock);
  });

  test('slow response headers past the timeout: OauthException 408, one attempt with maxRetries 0', async () => {
    const { mock, workos } = await setup({ timeout: 200, maxRetries: 0 });
    mock.enqueue('GET', ORG, { delayMs: 3000, json: wireOrganization(1) });
    const started = performance.now();
    await assert.rejects(workos.organizations.getOrganization('org_1'), (err) => err instanceof OauthException && err.status === 408);
    const took = performance.now() - started;
    assert.ok(took >= 190 && took < 1500, `took ${took.toFixed(0)} ms`);
    assert.equal(mock.requests.length, 1);
    await assertUsable(workos, mock);
  });
});

describe('maxRetries: 0 on the client', { concurrency: true }, () => {
  test('429: one request, RateLimitExceededException with retryAfter and requestID', async () => {
    const { mock, workos } = await setup({ maxRetries: 0 });
    mock.enqueue('GET', ORG, {
      status: 429,
      json: { message: 'Too many requests' },
      headers: { 'Retry-After': '7', 'X-Request-ID': 'req_rate' },
    });
    const started = performance.now();
    await assert.rejects(workos.organizations.getOrganization('org_1'), (err) => {
      assert.ok(err instanceof RateLimitExceededException, `${err?.name}: ${err?.message}`);
      assert.ok(err instanceof GenericServerException);
      assert.equal(err.status, 429);
      assert.equal(err.retryAfter, 7);
      assert.equal(err.requestID, 'req_rate');
      assert.equal(err.message, 'Too many requests');
      return true;
    });
    assert.ok(performance.now() - started < 1000, 'it did not wait for Retry-After');
    await sleep(50);
    assert.equal(mock.requests.length, 1);
    await assertUsable(workos, mock);
  });

  test('503: one request, GenericServerException 503 with requestID', async () => {
    const { mock, workos } = await setup({ maxRetries: 0 });
    mock.enqueue('GET', ORG, { status: 503, json: { message: 'Service unavailable' } });
    await assert.rejects(workos.organizations.getOrganization('org_1'), (err) => {
      assert.ok(err instanceof GenericServerException && !(err instanceof RateLimitExceededException));
      assert.equal(err.status, 503);
      assert.equal(err.requestID, 'req_1'); // the mock's X-Request-ID of that response
      assert.deepEqual(err.rawData, { message: 'Service unavailable' });
      return true;
    });
    await sleep(50);
    assert.equal(mock.requests.length, 1);
    await assertUsable(workos, mock);
  });

  test('a connection reset: one request, a plain Error', async () => {
    const { mock, workos } = await setup({ maxRetries: 0 });
    mock.enqueue('GET', ORG, { reset: true });
    await assert.rejects(workos.organizations.getOrganization('org_1'), (err) => {
      assert.equal(err.constructor, Error);
      assert.match(err.message, /^Unexpected error: /);
      return true;
    });
    assert.equal(mock.requests.length, 1);
    await assertUsable(workos, mock);
  });

  test('a list: one request, the typed exception', async () => {
    const { mock, workos } = await setup({ maxRetries: 0 });
    mock.enqueue('GET', '/organizations', { status: 500, json: { message: 'list broke' } });
    await assert.rejects(workos.organizations.listOrganizations(), (err) => err instanceof GenericServerException && err.status === 500);
    assert.equal(mock.requests.length, 1);
  });
});

describe('idempotency and per-call maxRetries', { concurrency: true }, () => {
  const KEY = /^workos-native-retry-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const busy = { status: 503, json: { message: 'busy' }, headers: { 'Retry-After': '0' } };

  test('a retried createOrganization sends one generated Idempotency-Key on every attempt', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('POST', '/organizations', busy, { reset: true }, { ...busy, status: 500 });
    const org = await workos.organizations.createOrganization({ name: 'Acme' });
    assert.equal(org.name, 'Acme');
    assert.equal(mock.requests.length, 4);
    const keys = mock.requests.map((r) => r.headers['idempotency-key']);
    assert.match(keys[0], KEY);
    assert.deepEqual(keys, [keys[0], keys[0], keys[0], keys[0]]);
    for (const r of mock.requests) assert.deepEqual(r.json, { name: 'Acme' });
    // Another call, another key.
    mock.enqueue('POST', '/organizations', busy);
    await workos.organizations.createOrganization({ name: 'Other' });
    const [k1, k2] = mock.requests.slice(4).map((r) => r.headers['idempotency-key']);
    assert.match(k1, KEY);
    assert.equal(k1, k2);
    assert.notEqual(k1, keys[0]);
    await assertUsable(workos, mock);
  });

  test('a POST that timed out is retried with the same Idempotency-Key', async () => {
    const { mock, workos } = await setup({ timeout: 250 });
    // The first attempt reaches the server but answers too late: a retry must not create twice.
    mock.enqueue('POST', '/organizations', { status: 201, delayMs: 1000, json: wireOrganization(9) });
    const org = await workos.organizations.createOrganization({ name: 'Slow' });
    assert.equal(org.name, 'Slow');
    assert.equal(mock.requests.length, 2);
    const [k1, k2] = mock.requests.map((r) => r.headers['idempotency-key']);
    assert.match(k1, KEY);
    assert.equal(k2, k1);
  });

  test('per-call { maxRetries: 0 } on createOrganizationApiKey', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('POST', '/organizations/org_1/api_keys', busy);
    await assert.rejects(
      workos.organizations.createOrganizationApiKey({ organizationId: 'org_1', name: 'k' }, { maxRetries: 0 }),
      (err) => err instanceof GenericServerException && err.status === 503,
    );
    await sleep(50);
    assert.equal(mock.requests.length, 1);
  });

  test("a retried createOrganization keeps the caller's Idempotency-Key on every attempt", async () => {
    const { mock, workos } = await setup();
    mock.enqueue('POST', '/organizations', busy, busy);
    await workos.organizations.createOrganization({ name: 'Acme' }, { idempotencyKey: 'caller-key-1' });
    assert.equal(mock.requests.length, 3);
    assert.deepEqual(
      mock.requests.map((r) => r.headers['idempotency-key']),
      ['caller-key-1', 'caller-key-1', 'caller-key-1'],
    );
  });

  test('per-call { maxRetries: 0 }: one request and the exception; the next call retries again', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('POST', '/organizations', busy);
    await assert.rejects(
      workos.organizations.createOrganization({ name: 'Acme' }, { maxRetries: 0 }),
      (err) => err instanceof GenericServerException && err.status === 503,
    );
    await sleep(50);
    assert.equal(mock.requests.length, 1);
    mock.enqueue('POST', '/organizations', busy);
    await workos.organizations.createOrganization({ name: 'Acme' });
    assert.equal(mock.requests.length, 3, 'the client default (3) applies again');
  });

  test('per-call { maxRetries: 0 } with an idempotencyKey still sends the key', async () => {
    const { mock, workos } = await setup();
    await workos.organizations.createOrganization({ name: 'Acme' }, { idempotencyKey: 'k-0', maxRetries: 0 });
    assert.equal(mock.requests[0].headers['idempotency-key'], 'k-0');
  });

  test('per-call { maxRetries: 2 } overrides a client maxRetries of 0', async () => {
    const { mock, workos } = await setup({ maxRetries: 0 });
    mock.enqueue('POST', '/organizations', busy, busy);
    await workos.organizations.createOrganization({ name: 'Acme' }, { maxRetries: 2 });
    assert.equal(mock.requests.length, 3);
    const keys = mock.requests.map((r) => r.headers['idempotency-key']);
    assert.match(keys[0], KEY);
    assert.deepEqual(new Set(keys).size, 1);
  });
});

describe('statuses that are not retried', { concurrency: true }, () => {
  const cases = [
    [400, { code: 'invalid', errors: [{ field: 'name', code: 'required' }], message: 'Bad thing' }, BadRequestException],
    [400, { message: 'Bad request, no code' }, GenericServerException],
    [401, { message: 'no' }, UnauthorizedException],
    [403, { message: 'forbidden' }, GenericServerException],
    [404, { message: 'Not found' }, NotFoundException],
    [409, { message: 'Conflict' }, ConflictException],
    [422, { message: 'Invalid', code: 'invalid', errors: [{ code: 'name_required' }] }, UnprocessableEntityException],
    [501, { message: 'Not implemented' }, GenericServerException],
  ];
  for (const [status, body, Class] of cases) {
    test(`${status} ${Class.name}: sent once (GET and POST)`, async () => {
      const { mock, workos } = await setup(); // maxRetries 3
      mock.enqueue('GET', ORG, { status, json: body, headers: { 'Retry-After': '0' } });
      mock.enqueue('POST', '/organizations', { status, json: body, headers: { 'Retry-After': '0' } });
      await assert.rejects(workos.organizations.getOrganization('org_1'), (err) => {
        assert.ok(err instanceof Class, `${err?.name}: ${err?.message}`);
        assert.equal(err.requestID, 'req_1');
        return true;
      });
      await assert.rejects(workos.organizations.createOrganization({ name: 'x' }), Class);
      await sleep(30);
      assert.deepEqual(
        mock.requests.map((r) => r.method),
        ['GET', 'POST'],
      );
      await assertUsable(workos, mock);
    });
  }
});

describe('request headers', { concurrency: true }, () => {
  test('Authorization, Content-Type (GET too), Accept, User-Agent, config.headers', async () => {
    const mock = await startMock();
    mocks.add(mock);
    mock.route('GET', '/organizations/org_1', ok);
    mock.route('DELETE', '/organizations/org_1', { status: 204 });
    mock.route('POST', '/organizations', { status: 201, json: wireOrganization(1) });
    mock.list('/organizations', organizations(3));
    const options = { config: { headers: { 'X-Custom': 'yes', 'X-Other': '2' } } };
    const workos = nativeClient({ ...mock, apiKey: 'sk_test_headers' }, { ...options });
    await workos.organizations.getOrganization('org_1');
    await workos.organizations.listOrganizations();
    await workos.organizations.createOrganization({ name: 'H' });
    await workos.organizations.deleteOrganization('org_1');
    assert.equal(mock.requests.length, 4);
    for (const r of mock.requests) {
      const h = r.headers;
      assert.equal(h.authorization, 'Bearer sk_test_headers', r.method);
      assert.equal(h['content-type'], 'application/json', r.method);
      assert.equal(h.accept, 'application/json, text/plain, */*', r.method);
      assert.equal(h['user-agent'], `workos-native/${VERSION} (node/${process.version})`, r.method);
      assert.equal(h['x-custom'], 'yes');
      assert.equal(h['x-other'], '2');
      if (r.method !== 'POST') assert.equal(h['idempotency-key'], undefined, r.method);
    }

    // The SDK-chosen headers equal the official SDK's for the same call.
    const official = officialClient({ ...mock, apiKey: 'sk_test_headers' }, { ...options });
    mock.requests.length = 0;
    await workos.organizations.getOrganization('org_1');
    await official.organizations.getOrganization('org_1');
    const [mine, theirs] = mock.requests.map((r) => r.headers);
    for (const name of ['authorization', 'content-type', 'accept', 'x-custom', 'x-other']) {
      assert.equal(mine[name], theirs[name], name);
    }
  });

  test('config.headers given as a Headers object is sent, as the official SDK sends it', async () => {
    const mock = await startMock();
    mocks.add(mock);
    mock.route('GET', '/organizations/org_1', ok);
    const options = () => ({ config: { headers: new Headers({ 'X-Custom': 'from-headers' }) } });
    await officialClient(mock, options()).organizations.getOrganization('org_1');
    await nativeClient(mock, options()).organizations.getOrganization('org_1');
    const [theirs, mine] = mock.requests.map((r) => r.headers['x-custom']);
    assert.equal(theirs, 'from-headers', 'official SDK');
    assert.equal(mine, 'from-headers', 'workos-native');
  });

  test('config.headers given as [name, value] pairs is sent', async () => {
    const mock = await startMock();
    mocks.add(mock);
    mock.route('GET', '/organizations/org_1', ok);
    await nativeClient(mock, { config: { headers: [['X-Pair', 'p']] } }).organizations.getOrganization('org_1');
    assert.equal(mock.requests[0].headers['x-pair'], 'p');
  });

  test('appInfo is appended to the User-Agent; a config User-Agent does not replace it', async () => {
    const mock = await startMock();
    mocks.add(mock);
    mock.route('GET', '/organizations/org_1', ok);
    const workos = nativeClient(mock, {
      appInfo: { name: 'myapp', version: '1.2.3' },
      config: { headers: { 'User-Agent': 'not-me' } },
    });
    await workos.organizations.getOrganization('org_1');
    assert.equal(mock.requests[0].headers['user-agent'], `workos-native/${VERSION} (node/${process.version}) myapp: 1.2.3`);
  });
});

// ---------------------------------------------------------------------------------------

test('a process using the client exits promptly when its work is done', async () => {
  const mock = await startMock();
  mocks.add(mock);
  mock.route('GET', '/organizations/org_1', ok);
  mock.route('POST', '/organizations', { status: 201, json: wireOrganization(2) });
  mock.enqueue('GET', '/organizations/org_2', { status: 503, json: { message: 'busy' }, headers: { 'Retry-After': '0' } }, ok);
  mock.route('GET', '/organizations/org_404', { status: 404, json: { message: 'nope' } });
  mock.list('/organizations', organizations(1000));
  // Pages after the first two are slow: the loop that breaks leaves one of them in flight.
  mock.route('GET', '/organizations', (req) => {
    const after = new URLSearchParams(req.query).get('after');
    return after && after !== 'org_00990' ? { delayMs: 5000, json: { object: 'list', data: [], list_metadata: {} } } : undefined;
  });

  const script = `
    const { WorkOS } = require(${JSON.stringify(INDEX_JS)});
    (async () => {
      const workos = new WorkOS('sk_test', { apiHostname: '127.0.0.1', port: ${mock.port}, https: false, timeout: 10000 });
      await workos.organizations.getOrganization('org_1');
      await workos.organizations.getOrganization('org_2'); // one retry
      await workos.organizations.createOrganization({ name: 'x' });
      await workos.organizations.getOrganization('org_404').catch(() => {});
      let n = 0;
      for await (const org of await workos.organizations.listOrganizations()) {
        if (++n === 20) {
          await new Promise((r) => setTimeout(r, 200)); // page 3 is requested meanwhile
          break;
        }
      }
      const list = await workos.organizations.listOrganizations({ limit: 5 });
      await list.autoPagination();
      console.log('done', n);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(killer);
  const took = performance.now() - started;
  assert.equal(signal, null, `killed after ${took.toFixed(0)} ms; stdout: ${out} stderr: ${err}`);
  assert.equal(code, 0, err);
  assert.equal(out.trim(), 'done 20');
  // The page in flight when the loop broke takes 5 s to answer: exiting must not wait for it.
  assert.ok(took < 3000, `the process took ${took.toFixed(0)} ms to exit`);
  const gets = mock.requests.filter((r) => r.path === '/organizations' && r.method === 'GET');
  assert.equal(gets.length, 4, `pages 1-3, then the limit: 5 list: ${gets.map((r) => r.url)}`);
  assert.equal(new URLSearchParams(gets[2].query).get('after'), 'org_00890', 'page 3 was in flight when the loop broke');
});
