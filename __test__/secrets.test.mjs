// Secrets and access.
//
// The API key never shows in an error (message, stack, fields, causes), in util.inspect or
// JSON.stringify of the client, of a list, of a CookieSession; an organization API key's secret
// `value` comes only from createOrganizationApiKey. The guards deny a forged organization header,
// an inactive or pending membership, a cookie sealed with another password, and tokens that are
// not this client's RS256 tokens (another client's key, `alg: none`, HS256, HS256 keyed with the
// public key).

import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';

import { startMock } from './helpers/mock-server.mjs';
import { workosNative } from './helpers/wire-fixtures.mjs';
import { PASSWORD, OTHER_PASSWORD, jwt, rsaKey, sealCookie, wireUser } from './helpers/session-kit.mjs';

const { WorkOS, createGuards, GuardError } = workosNative;

const API_KEY = 'sk_test_SECRETS_5c0ffee_do_not_log';
const PARTS = [API_KEY, API_KEY.slice(8), Buffer.from(API_KEY).toString('base64')];

/** Every string reachable from `value` (own properties, enumerable or not, causes, arrays). */
function strings(value, seen = new Set()) {
  if (typeof value === 'string') return [value];
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return [];
  seen.add(value);
  const out = [];
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (d && 'value' in d) out.push(...strings(d.value, seen));
  }
  if (value instanceof Error) out.push(String(value.message), String(value.stack));
  return out;
}

function assertNoKey(label, ...texts) {
  for (const t of texts) {
    for (const part of PARTS) {
      const lines = String(t).split('\n');
      const at = lines.findIndex((l) => l.includes(part));
      // The failure shows where it is: the lines leading to it.
      assert.ok(at === -1, `${label}: the API key appears in:\n${lines.slice(Math.max(0, at - 8), at + 1).join('\n')}`);
    }
  }
}

/** The key is nowhere in what `e` carries or prints. */
function assertCleanError(label, e) {
  assert.ok(e instanceof Error, `${label}: not an Error: ${e}`);
  assertNoKey(label, e.message, e.stack, util.inspect(e, { depth: Infinity, showHidden: true }), JSON.stringify(e), ...strings(e));
}

const mocks = new Set();
after(async () => {
  await Promise.all([...mocks].map((m) => m.close()));
});

async function mockServer() {
  const m = await startMock();
  mocks.add(m);
  return m;
}

const client = (mock, opts = {}) => new WorkOS(API_KEY, { apiHostname: mock.hostname, port: mock.port, https: false, maxRetries: 0, timeout: 500, clientId: 'client_1', ...opts });

async function rejection(promise) {
  return promise.then(
    (v) => assert.fail(`expected a rejection, got ${util.inspect(v).slice(0, 200)}`),
    (e) => e,
  );
}

describe('the API key in errors', { concurrency: true }, () => {
  test('HTTP errors, bodies that are not JSON, timeouts and network failures never carry the key', async () => {
    const mock = await mockServer();
    const workos = client(mock);
    const P = '/organizations/org_1';
    const cases = [
      ['401', { status: 401, json: { message: 'Unauthorized' } }],
      ['403', { status: 403, json: { message: 'Forbidden', error: 'forbidden' } }],
      ['404', { status: 404, json: { message: 'Not found' } }],
      ['409', { status: 409, json: { message: 'Conflict' } }],
      ['422', { status: 422, json: { code: 'invalid', errors: [{ code: 'bad', field: 'name' }] } }],
      ['429', { status: 429, json: { message: 'slow' }, headers: { 'retry-after': '1' } }],
      ['400 oauth', { status: 400, json: { error: 'invalid_grant', error_description: 'nope' } }],
      ['500', { status: 500, json: { message: 'boom' } }],
      ['502 html', { status: 502, body: '<html>bad gateway</html>', contentType: 'text/html' }],
      ['200 not JSON', { body: 'nope', contentType: 'application/json' }],
      ['timeout', { json: {}, delayMs: 1500 }],
      ['reset', { reset: true }],
    ];
    for (const [label, desc] of cases) {
      mock.enqueue('GET', P, desc);
      assertCleanError(label, await rejection(workos.organizations.getOrganization('org_1')));
    }
    // The requests did carry it (so its absence above means something).
    assert.equal(mock.requests[0].headers.authorization, `Bearer ${API_KEY}`);
    // Nothing listening.
    const closed = await mockServer();
    const w2 = client(closed);
    await closed.close();
    assertCleanError('connection refused', await rejection(w2.organizations.getOrganization('org_1')));
  });

  test('bad input, a refused constructor, and the refresh-token exchange (which sends the key as client_secret)', async () => {
    const mock = await mockServer();
    const workos = client(mock);
    assertCleanError('TypeError', await rejection(workos.organizations.getOrganization(42)));
    assertCleanError('cyclic', await rejection(workos.organizations.createOrganization((() => { const o = { name: 'x' }; o.o = o; return o; })())));
    // The key goes in the body of this call; its failures must not echo the request.
    mock.enqueue('POST', '/user_management/authenticate', { status: 400, json: { error: 'invalid_grant', error_description: 'Invalid refresh token' } });
    const e = await rejection(workos.userManagement.authenticateWithRefreshToken({ refreshToken: 'rt', clientId: 'client_1' }));
    assert.equal(mock.requests[mock.requests.length - 1].json.client_secret, API_KEY, 'the exchange sends the key as client_secret');
    assertCleanError('refresh token exchange', e);
    mock.enqueue('POST', '/user_management/authenticate', { body: 'not json', contentType: 'text/plain' });
    assertCleanError('refresh token exchange, bad body', await rejection(workos.userManagement.authenticateWithRefreshToken({ refreshToken: 'rt', clientId: 'client_1' })));
    // A constructor refusing its options.
    let thrown;
    try {
      new WorkOS(API_KEY, { port: {}, https: false });
    } catch (err) {
      thrown = err;
    }
    assertCleanError('constructor', thrown);
    try {
      new WorkOS(`${API_KEY}\r\nX-Evil: 1`);
    } catch (err) {
      thrown = err;
    }
    assertCleanError('constructor with a CRLF in the key', thrown);
  });

  test('guard failures (GuardError and its cause) never carry the key', async () => {
    const mock = await mockServer();
    mock.route('GET', /.*/, { status: 500, json: { message: 'down' } });
    const guards = createGuards(client(mock), { onError: 'next' });
    const err = await new Promise((resolve) => guards.requireOrganization({ headers: { 'x-organization-id': 'org_1' }, user: { id: 'user_1' } }, {}, resolve));
    assert.ok(err instanceof GuardError, `${err}`);
    assertCleanError('GuardError', err);
  });
});

describe('the API key in what the client prints', () => {
  for (const [form, make] of [
    ['positional key', (mock) => new WorkOS(API_KEY, { apiHostname: mock.hostname, port: mock.port, https: false, clientId: 'client_1' })],
    ['key in the options', (mock) => new WorkOS({ apiKey: API_KEY, apiHostname: mock.hostname, port: mock.port, https: false, clientId: 'client_1' })],
  ]) {
    test(`${form}: util.inspect (default, depth Infinity), JSON.stringify, String, Object.entries`, async () => {
      const workos = make(await mockServer());
      assertNoKey('util.inspect', util.inspect(workos));
      assertNoKey('util.inspect depth Infinity', util.inspect(workos, { depth: Infinity }));
      assertNoKey('JSON.stringify', JSON.stringify(workos));
      assertNoKey('String', String(workos));
      assertNoKey('Object.entries', JSON.stringify(Object.entries(workos)));
      assertNoKey('modules', util.inspect([workos.organizations, workos.userManagement, workos.auditLogs], { depth: Infinity }));
      // It is still there for whoever asks for it by name.
      assert.equal(workos.key, API_KEY);
    });

    test(`${form}: util.inspect with showHidden (what console.log('%o') prints)`, async () => {
      const workos = make(await mockServer());
      assertNoKey('showHidden', util.inspect(workos, { depth: Infinity, showHidden: true }));
      assertNoKey("util.format('%o')", util.format('%o', workos));
      assertNoKey('modules, showHidden', util.inspect(workos.organizations, { depth: Infinity, showHidden: true }));
    });

    test(`${form}: a list object and a CookieSession print without it`, async () => {
      const mock = await mockServer();
      mock.route('GET', '/organizations', { json: { object: 'list', data: [{ object: 'organization', id: 'org_1', domains: [] }], list_metadata: { before: null, after: null } } });
      const workos = make(mock);
      const list = await workos.organizations.listOrganizations();
      assertNoKey('list', util.inspect(list, { depth: Infinity }), JSON.stringify(list));
      assertNoKey('list, showHidden', util.inspect(list, { depth: Infinity, showHidden: true }));
      const session = workos.userManagement.loadSealedSession({ sessionData: 'cookie', cookiePassword: PASSWORD });
      assertNoKey('CookieSession', util.inspect(session, { depth: Infinity }), JSON.stringify(session));
      assertNoKey('CookieSession, showHidden', util.inspect(session, { depth: Infinity, showHidden: true }));
    });
  }
});

describe("an organization API key's secret value", { concurrency: true }, () => {
  const wireKey = (i, extra = {}) => ({
    object: 'api_key',
    id: `api_key_${i}`,
    owner: { type: 'organization', id: 'org_1' },
    name: `Key ${i}`,
    obfuscated_value: `sk_...${1000 + i}`,
    last_used_at: null,
    permissions: ['read'],
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
    ...extra,
  });

  test('appears in the createOrganizationApiKey result (value, and the secret alias), once', async () => {
    const mock = await mockServer();
    mock.route('POST', '/organizations/org_1/api_keys', { status: 201, json: wireKey(0, { value: 'sk_live_NEWSECRET_0' }) });
    const created = await client(mock).organizations.createOrganizationApiKey({ organizationId: 'org_1', name: 'Key 0' });
    assert.equal(created.value, 'sk_live_NEWSECRET_0');
    assert.equal(created.secret, 'sk_live_NEWSECRET_0');
    assert.equal(Object.keys(created).includes('secret'), false, 'the alias is not enumerable');
  });

  test('never appears in listOrganizationApiKeys results, even when the server sends it', async () => {
    const mock = await mockServer();
    // A careless server that includes the secret in every listed key, over three pages.
    const keys = Array.from({ length: 25 }, (_, i) => wireKey(i, { value: `sk_live_LEAKED_${i}`, secret: `sk_live_LEAKED_${i}` }));
    mock.list('/organizations/org_1/api_keys', keys);
    const workos = client(mock);
    const list = await workos.organizations.listOrganizationApiKeys({ organizationId: 'org_1' });
    const walked = [];
    for await (const k of list) walked.push(k);
    const all = await list.autoPagination();
    assert.equal(walked.length, 25);
    assert.equal(all.length, 25);
    for (const k of [...list.data, ...walked, ...all]) {
      assert.equal(k.value, undefined, `${k.id} has a value`);
      assert.equal(k.secret, undefined, `${k.id} has a secret`);
      assert.equal(k.obfuscatedValue.startsWith('sk_...'), true);
    }
    const printed = [JSON.stringify(list), util.inspect(list, { depth: Infinity, showHidden: true }), JSON.stringify(walked), JSON.stringify(all)].join('\n');
    assert.ok(!printed.includes('LEAKED'), 'a listed key carries its secret');
  });
});

// ---------------------------------------------------------------------------------------
// Guards

describe('guards deny what they must', () => {
  let mock;
  let workos;
  let guards;
  let guardsNoCache;
  const ours = rsaKey('kid_ours');
  const theirs = rsaKey('kid_theirs');
  const impostor = { ...rsaKey('kid_ours'), kid: 'kid_ours' }; // another key claiming our kid

  const membership = (org, status, role = 'admin') => ({
    object: 'organization_membership',
    id: `om_${org}`,
    user_id: 'user_1',
    organization_id: org,
    organization_name: org,
    status,
    role: { slug: role },
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
  });

  before(async () => {
    mock = await mockServer();
    mock.route('GET', '/user_management/organization_memberships', (req) => {
      const q = new URLSearchParams(req.query);
      const data = q.get('user_id') === 'user_1' ? [membership('org_active', 'active'), membership('org_inactive', 'inactive'), membership('org_pending', 'pending')] : [];
      return { json: { object: 'list', data, list_metadata: { before: null, after: null } } };
    });
    mock.route('GET', /^\/organizations\/(org_[a-z]+)$/, (req) => ({ json: { object: 'organization', id: req.match[1], name: req.match[1], domains: [] } }));
    mock.route('GET', '/sso/jwks/client_1', { json: { keys: [ours.jwk] } });
    mock.route('GET', '/sso/jwks/client_2', { json: { keys: [theirs.jwk] } });
    // A refresh fails: an expired or foreign token cannot be renewed into a pass.
    mock.route('POST', '/user_management/authenticate', { status: 400, json: { error: 'invalid_grant', error_description: 'no' } });
    workos = client(mock, { timeout: 5000 });
    guards = createGuards(workos);
    guardsNoCache = createGuards(workos, { cacheTtlMs: 0, negativeCacheTtlMs: 0 });
  });

  /** Runs one middleware: { next: true } | { nextError } | { status, body }. */
  function run(mw, req) {
    return new Promise((resolve) => {
      const res = {
        statusCode: 200,
        status(code) {
          this.statusCode = code;
          return this;
        },
        json(body) {
          resolve({ status: this.statusCode, body });
        },
        cookie() {},
        setHeader() {},
        getHeader() {},
      };
      mw(req, res, (err) => resolve(err === undefined ? { next: true } : { nextError: err }));
    });
  }

  const orgReq = (org, user = 'user_1') => ({ headers: { 'x-organization-id': org }, user: user === null ? undefined : { id: user } });

  test('requireOrganization: the member passes (control); a forged, inactive or pending organization does not', async () => {
    for (const g of [guards, guardsNoCache]) {
      assert.deepEqual(await run(g.requireOrganization, orgReq('org_active')), { next: true });
      for (const org of ['org_other', 'org_inactive', 'org_pending', 'ORG_ACTIVE', ' org_active', 'org_active ', 'org_active/../org_other']) {
        const r = await run(g.requireOrganization, orgReq(org));
        assert.equal(r.next, undefined, `${org} was let through`);
        assert.equal(r.status, 403, `${org}: ${JSON.stringify(r)}`);
      }
      // Another user claiming the member's organization.
      const r = await run(g.requireOrganization, orgReq('org_active', 'user_2'));
      assert.equal(r.status, 403, JSON.stringify(r));
      // Several values for the header: the first counts (a forged one first is refused).
      const multi = await run(g.requireOrganization, { headers: { 'x-organization-id': ['org_other', 'org_active'] }, user: { id: 'user_1' } });
      assert.equal(multi.status, 403, JSON.stringify(multi));
      // No user at all.
      const anon = await run(g.requireOrganization, orgReq('org_active', null));
      assert.equal(anon.status, 401, JSON.stringify(anon));
    }
  });

  test('requireRole: an inactive or pending membership holds no role, whatever its slug', async () => {
    const admin = guards.requireRole('admin');
    assert.deepEqual(await run(admin, { membership: membership('org_active', 'active') }), { next: true });
    for (const status of ['inactive', 'pending', 'deleted', undefined]) {
      const r = await run(admin, { membership: { ...membership('org_x', status), roles: [{ slug: 'admin' }] } });
      assert.equal(r.status, 403, `${status}: ${JSON.stringify(r)}`);
    }
  });

  const cookieWith = (token, password = PASSWORD) => `wos-session=${encodeURIComponent(sealCookie({ accessToken: token, refreshToken: 'rt_1', user: wireUser('user_1') }, password))}`;
  const authReq = (cookie) => ({ headers: { cookie } });

  test('requireAuth: a valid cookie passes (control)', async () => {
    const r = await run(guards.requireAuth({ cookiePassword: PASSWORD }), authReq(cookieWith(jwt({ sid: 'session_ok' }, { key: ours }))));
    assert.deepEqual(r, { next: true });
  });

  for (const [label, cookie] of [
    ['a cookie sealed with another password', () => cookieWith(jwt({ sid: 's' }, { key: ours }), OTHER_PASSWORD)],
    ["a token signed by another client's key (not in this client's JWKS)", () => cookieWith(jwt({ sid: 's' }, { key: theirs }))],
    ["a token signed by another key that claims this client's kid", () => cookieWith(jwt({ sid: 's' }, { key: impostor }))],
    ['a token with alg: none', () => cookieWith(jwt({ sid: 's' }, { alg: 'none', kid: 'kid_ours' }))],
    ['a token with alg: HS256', () => cookieWith(jwt({ sid: 's' }, { alg: 'HS256', kid: 'kid_ours', secret: 'guessable' }))],
    ['a token with alg: HS256 keyed with the public key (key confusion)', () => cookieWith(jwt({ sid: 's' }, { alg: 'HS256', kid: 'kid_ours', secret: ours.publicKey.export({ type: 'spki', format: 'pem' }) }))],
    ['an expired token whose refresh fails', () => cookieWith(jwt({ sid: 's', exp: Math.floor(Date.now() / 1000) - 60 }, { key: ours }))],
    ['a token that is not yet valid', () => cookieWith(jwt({ sid: 's', nbf: Math.floor(Date.now() / 1000) + 3600 }, { key: ours }))],
    ['a cookie that is not a seal', () => 'wos-session=Fe26.2*1*garbage'],
  ]) {
    test(`requireAuth: ${label} is denied (401)`, async () => {
      const jwksCalls = () => mock.requests.filter((r) => r.path.startsWith('/sso/jwks/')).map((r) => r.path);
      for (const onError of [undefined, 'next']) {
        const g = createGuards(workos, { onError });
        const r = await run(g.requireAuth({ cookiePassword: PASSWORD }), authReq(cookie()));
        assert.equal(r.next, undefined, 'let through');
        const status = r.status ?? r.nextError?.status;
        assert.equal(status, 401, JSON.stringify(r));
      }
      assert.ok(jwksCalls().every((p) => p === '/sso/jwks/client_1'), `fetched another client's JWKS: ${jwksCalls()}`);
    });
  }
});
