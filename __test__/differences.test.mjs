// One demonstration per entry of helpers/differences.mjs: what @workos-inc/node 8.13.0 does and
// what workos-native does instead, each run with both clients against the same mock, so every
// listed difference is shown to exist and to be the one described.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import util from 'node:util';
import { after, before, describe, test } from 'node:test';
import * as officialExports from '@workos-inc/node';
import { DIFFERENCES, GENERATED_IDEMPOTENCY_KEY, NATIVE_VERSION, difference } from './helpers/differences.mjs';
import { listRoute, startMock } from './helpers/mock-server.mjs';
import { startParity } from './helpers/parity.mjs';
import * as tokens from './helpers/tokens.mjs';

const require = createRequire(import.meta.url);
const nativeExports = require('../index.js');

const ORG = { object: 'organization', id: 'org_1', name: 'Acme', domains: [] };
const AUDIT_EVENT = () => ({
  action: 'user.signed_in',
  occurredAt: new Date(0),
  actor: { type: 'user', id: 'user_1' },
  targets: [{ type: 'team', id: 'team_1' }],
  context: { location: '1.2.3.4' },
});
const ORG_PATH = '/organizations/org_1';
const getOrg = (w) => w.organizations.getOrganization('org_1');
const errorOf = (run, side) => {
  assert.ok('error' in run[side].settled, `${side} should have rejected, got ${util.inspect(run[side].settled.value)}`);
  return run[side].settled.error;
};
const valueOf = (run, side) => {
  assert.ok('value' in run[side].settled, `${side} should have resolved, got ${util.inspect(run[side].settled.error)}`);
  return run[side].settled.value;
};
const paths = (run, side) => run[side].requests.map((r) => r.path + (r.query ? `?${r.query}` : ''));
const gaps = (run, side) => run[side].exchanges.slice(1).map((ex, i) => ex.at - run[side].exchanges[i].at);

let mock;
let parity;
before(async () => {
  mock = await startMock();
  parity = await startParity(mock);
});
after(async () => {
  await parity?.close();
  await mock?.close();
});

/**
 * A `setup` for parity.run: before each side the mock is cleared (so answers one side left
 * unused cannot reach the other), `routes()` registered again, and `descs` queued as one-shot
 * answers to `method path`, in order.
 */
const serve = (routes, method, path, ...descs) => () => {
  mock.reset();
  routes?.();
  if (descs.length > 0) mock.enqueue(method, path, ...descs);
};
const orgRoute = () => mock.route('GET', ORG_PATH, { json: ORG });

const DEMOS = {
  async 'user-agent'() {
    orgRoute();
    const plain = await parity.run(getOrg);
    assert.match(plain.official.exchanges[0].headers['user-agent'], /^workos-node\/8\.13\.0\/fetch \(node\/v\d+\.\d+\.\d+\)$/);
    assert.equal(plain.official.exchanges[0].headers['user-agent'], `workos-node/8.13.0/fetch (node/${process.version})`);
    assert.equal(plain.native.exchanges[0].headers['user-agent'], `workos-native/${NATIVE_VERSION} (node/${process.version})`);

    const app = await parity.run(getOrg, { options: { appInfo: { name: 'myapp', version: '1.2.3' } } });
    assert.equal(app.official.exchanges[0].headers['user-agent'], `workos-node/8.13.0/fetch (node/${process.version}) myapp: 1.2.3`);
    assert.equal(app.native.exchanges[0].headers['user-agent'], `workos-native/${NATIVE_VERSION} (node/${process.version}) myapp: 1.2.3`);
  },

  async retries() {
    const now = { 'Retry-After': '0' };

    // 503 then 429 then 200: official gives up at once (even when told maxRetries), native retries.
    const run = await parity.run(getOrg, {
      options: { maxRetries: 3 },
      setup: serve(orgRoute, 'GET', ORG_PATH, { status: 503, json: { message: 'down' }, headers: now }, { status: 429, json: {}, headers: now }),
    });
    assert.equal(run.official.requests.length, 1);
    assert.equal(errorOf(run, 'official').constructor.name, 'GenericServerException');
    assert.equal(errorOf(run, 'official').status, 503);
    assert.deepEqual(run.native.exchanges.map((e) => e.response.status), [503, 429, 200]);
    assert.equal(valueOf(run, 'native').id, 'org_1');

    // 408, 500, 502, 504 are retried too.
    const statuses = await parity.run(getOrg, {
      native: { maxRetries: 4 },
      setup: serve(orgRoute, 'GET', ORG_PATH, ...[408, 500, 502, 504].map((status) => ({ status, json: {}, headers: now }))),
    });
    assert.deepEqual(statuses.native.exchanges.map((e) => e.response.status), [408, 500, 502, 504, 200]);
    assert.equal(valueOf(statuses, 'native').id, 'org_1');
    assert.equal(statuses.official.requests.length, 1);

    // Default maxRetries is 3: four attempts, then the last error.
    const exhausted = await parity.run(getOrg, {
      setup: serve(orgRoute, 'GET', ORG_PATH, ...Array.from({ length: 5 }, () => ({ status: 503, json: { message: 'still down' }, headers: now }))),
    });
    assert.equal(exhausted.native.requests.length, 4);
    assert.equal(errorOf(exhausted, 'native').status, 503);

    // Not retried: other 4xx.
    for (const status of [400, 401, 404, 409, 422]) {
      const once = await parity.run(getOrg, { setup: serve(orgRoute, 'GET', ORG_PATH, { status, json: {} }) });
      assert.equal(once.native.requests.length, 1, `status ${status} must not be retried`);
    }

    // maxRetries: 0 disables retrying.
    const off = await parity.run(getOrg, { native: { maxRetries: 0 }, setup: serve(orgRoute, 'GET', ORG_PATH, { status: 503, json: {} }) });
    assert.equal(off.native.requests.length, 1);
    assert.equal(errorOf(off, 'native').status, 503);

    // A reset connection is retried after a jittered backoff (500 ms × [0.5, 1.5)).
    const network = await parity.run(getOrg, { setup: serve(orgRoute, 'GET', ORG_PATH, { reset: true }) });
    assert.equal(network.official.requests.length, 1);
    assert.equal(errorOf(network, 'official').message, 'Unexpected error: TypeError: fetch failed');
    assert.equal(network.native.requests.length, 2);
    assert.equal(valueOf(network, 'native').id, 'org_1');
    const [backoff] = gaps(network, 'native');
    assert.ok(backoff >= 240 && backoff < 900, `backoff ${backoff} ms`);

    // Retry-After is honoured.
    const later = await parity.run(getOrg, {
      setup: (side) => serve(orgRoute, 'GET', ORG_PATH, ...(side === 'native' ? [{ status: 429, json: {}, headers: { 'Retry-After': '1' } }] : []))(),
    });
    const [wait] = gaps(later, 'native');
    assert.ok(wait >= 950 && wait < 1600, `Retry-After wait ${wait} ms`);
  },

  async 'idempotency-key'() {
    const createRoutes = () => {
      mock.route('POST', '/organizations', { status: 201, json: ORG });
      mock.route('PUT', ORG_PATH, { json: ORG });
    };
    createRoutes();
    const create = (w) => w.organizations.createOrganization({ name: 'Acme' });

    const run = await parity.run(create);
    assert.equal(run.official.requests[0].headers['idempotency-key'], undefined);
    const key = run.native.requests[0].headers['idempotency-key'];
    assert.match(key, GENERATED_IDEMPOTENCY_KEY);

    // The same key on every attempt; a new one per call.
    const retried = await parity.run(create, { setup: serve(createRoutes, 'POST', '/organizations', { status: 500, json: {}, headers: { 'Retry-After': '0' } }) });
    const keys = retried.native.requests.map((r) => r.headers['idempotency-key']);
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1]);
    assert.match(keys[0], GENERATED_IDEMPOTENCY_KEY);
    assert.notEqual(keys[0], key);
    assert.equal(retried.official.requests.length, 1);

    // Not when retries are off; the caller's key wins; never on PUT.
    const noRetries = await parity.run(create, { native: { maxRetries: 0 } });
    assert.equal(noRetries.native.requests[0].headers['idempotency-key'], undefined);
    const own = await parity.run((w) => w.organizations.createOrganization({ name: 'Acme' }, { idempotencyKey: 'mine' }));
    assert.equal(own.official.requests[0].headers['idempotency-key'], 'mine');
    assert.equal(own.native.requests[0].headers['idempotency-key'], 'mine');
    const put = await parity.run((w) => w.organizations.updateOrganization({ organization: 'org_1', name: 'B' }));
    assert.equal(put.native.requests[0].method, 'PUT');
    assert.equal(put.native.requests[0].headers['idempotency-key'], undefined);
  },

  async 'request-id'() {
    const run = await parity.run(getOrg, {
      errors: true,
      setup: serve(orgRoute, 'GET', ORG_PATH, { status: 404, json: { message: 'nope' }, headers: { 'X-Request-ID': 'req_abc' } }),
    });
    assert.equal(errorOf(run, 'official').requestID, '');
    assert.equal(errorOf(run, 'native').requestID, 'req_abc');

    const without = await parity.run(getOrg, {
      errors: true,
      setup: serve(orgRoute, 'GET', ORG_PATH, { status: 500, json: {}, headers: { 'X-Request-ID': null } }),
    });
    assert.equal(errorOf(without, 'official').requestID, '');
    assert.equal(errorOf(without, 'native').requestID, '');
  },

  async 'path-encoding'() {
    mock.route('*', /.*/, { status: 404, json: { message: 'any' } });
    const byExternal = await parity.run((w) => w.organizations.getOrganizationByExternalId('ext/1 2'), { errors: true });
    assert.deepEqual(paths(byExternal, 'official'), ['/organizations/external_id/ext/1%202']);
    assert.deepEqual(paths(byExternal, 'native'), ['/organizations/external_id/ext%2F1%202']);

    const weird = "a?b#c!'()*~é";
    const query = await parity.run((w) => w.organizations.getOrganization(weird), { errors: true });
    assert.deepEqual(paths(query, 'official'), ['/organizations/a?b']);
    assert.deepEqual(paths(query, 'native'), [`/organizations/${encodeURIComponent(weird)}`]);

    for (const [id, officialPath] of [
      ['', '/organizations/'],
      ['.', '/organizations/'],
      ['..', '/'],
    ]) {
      const run = await parity.run((w) => w.organizations.deleteOrganization(id), { errors: true });
      assert.deepEqual(paths(run, 'official'), [officialPath], `official DELETE for ${JSON.stringify(id)}`);
      assert.deepEqual(run.native.requests, []);
      const e = errorOf(run, 'native');
      assert.equal(e.constructor, TypeError);
      assert.match(e.message, /^id must be a non-empty id/);
    }
    mock.reset();
  },

  async exports() {
    assert.equal('ConflictException' in officialExports, false);
    assert.equal('ParseError' in officialExports, false);
    assert.equal(typeof nativeExports.ConflictException, 'function');
    assert.equal(typeof nativeExports.ParseError, 'function');

    const conflict = await parity.run(getOrg, { errors: true, setup: serve(orgRoute, 'GET', ORG_PATH, { status: 409, json: { message: 'taken' } }) });
    assert.equal(errorOf(conflict, 'official').constructor.name, 'ConflictException');
    assert.ok(errorOf(conflict, 'native') instanceof nativeExports.ConflictException);

    const parse = await parity.run(getOrg, { errors: true, setup: serve(orgRoute, 'GET', ORG_PATH, { status: 503, body: '<html>', contentType: 'text/html' }) });
    assert.equal(errorOf(parse, 'official').cause.constructor.name, 'ParseError');
    assert.ok(errorOf(parse, 'native').cause instanceof nativeExports.ParseError);
  },

  async 'argument-checks'() {
    mock.route('*', /.*/, { status: 404, json: { message: 'any' } });
    const cases = [
      [(w) => w.organizations.getOrganization(5), 'GET /organizations/5', '', 'id must be a string, got number'],
      [(w) => w.organizations.createOrganization({ name: 5 }), 'POST /organizations', '{"name":5}', 'payload.name must be a string, got number'],
      [(w) => w.organizations.createOrganization({}), 'POST /organizations', '{}', 'payload.name must be a string, got undefined'],
      [(w) => w.organizations.updateOrganization({ name: 'x' }), 'PUT /organizations/undefined', '{"name":"x"}', 'options.organization must be a string, got undefined'],
      [(w) => w.organizations.listOrganizationRoles({}), 'GET /organizations/undefined/roles', '', 'options.organizationId must be a string, got undefined'],
      [(w) => w.organizations.listOrganizations({ limit: '5' }), 'GET /organizations', '', 'options.limit must be a number, got string'],
      [
        (w) => w.organizations.createOrganization({ name: 'bad \ud800 name' }),
        'POST /organizations',
        '{"name":"bad \\ud800 name"}',
        'argument 1.name is not well-formed Unicode (it has a lone surrogate)',
      ],
    ];
    for (const [scenario, sent, body, message] of cases) {
      const run = await parity.run(scenario, { errors: true });
      assert.deepEqual(run.official.requests.map((r) => `${r.method} ${r.path}`), [sent], message);
      assert.equal(run.official.requests[0].body, body);
      assert.deepEqual(run.native.requests, [], `${message}: nothing sent`);
      const e = errorOf(run, 'native');
      assert.equal(e.constructor, TypeError);
      assert.equal(e.message, message);
    }
    mock.reset();
  },

  async iteration() {
    const items = Array.from({ length: 250 }, (_, i) => ({ object: 'organization', id: `org_${String(i).padStart(3, '0')}`, name: `O${i}`, domains: [] }));
    mock.route('GET', '/organizations', listRoute(items));

    const iterate = async (w) => {
      const out = [];
      for await (const o of await w.organizations.listOrganizations({ order: 'asc' })) out.push(o.id);
      return out;
    };
    const loop = await parity.run(iterate);
    assert.equal(errorOf(loop, 'official').constructor, TypeError);
    assert.match(errorOf(loop, 'official').message, /is not async iterable/);
    assert.deepEqual(valueOf(loop, 'native'), items.map((o) => o.id));
    assert.deepEqual(paths(loop, 'native'), [
      '/organizations?order=asc',
      '/organizations?order=asc&limit=100&after=org_009',
      '/organizations?order=asc&limit=100&after=org_109',
      '/organizations?order=asc&limit=100&after=org_209',
    ]);

    // With `limit`, iteration (like autoPagination) stops after the first page.
    const limited = await parity.run(async (w) => {
      const out = [];
      for await (const o of await w.organizations.listOrganizations({ limit: 5 })) out.push(o.id);
      return out;
    });
    assert.equal(valueOf(limited, 'native').length, 5);
    assert.equal(limited.native.requests.length, 1);

    // autoPagination(): same array; official sleeps 350 ms between pages and walks one way.
    const auto = await parity.run(async (w) => {
      const list = await w.organizations.listOrganizations();
      const t0 = Date.now();
      const all = await list.autoPagination();
      return { ids: all.map((o) => o.id), ms: Date.now() - t0 };
    });
    const off = valueOf(auto, 'official');
    const ours = valueOf(auto, 'native');
    assert.deepEqual(ours.ids, off.ids);
    assert.deepEqual(off.ids, items.map((o) => o.id).reverse());
    assert.deepEqual(paths(auto, 'official'), [
      '/organizations?order=desc',
      '/organizations?limit=100&order=desc',
      '/organizations?limit=100&after=org_150&order=desc',
      '/organizations?limit=100&after=org_050&order=desc',
    ]);
    assert.ok(off.ms >= 690, `official autoPagination took ${off.ms} ms`);
    assert.ok(ours.ms < 340, `native autoPagination took ${ours.ms} ms`);
    assert.ok(paths(auto, 'native').some((p) => p.includes('order=asc')), 'native walks from the other end too');
    assert.notDeepEqual(paths(auto, 'native'), paths(auto, 'official'));
    mock.reset();
  },

  async 'timeout-covers-body'() {
    const body = JSON.stringify(ORG); // ~60 bytes, one every 15 ms: the body takes ~1 s after the headers
    const run = await parity.run(getOrg, {
      errors: true,
      options: { timeout: 300 },
      setup: serve(orgRoute, 'GET', ORG_PATH, { body, contentType: 'application/json', dripMs: 15 }),
    });
    assert.deepEqual(valueOf(run, 'official'), {
      object: 'organization',
      id: 'org_1',
      name: 'Acme',
      allowProfilesOutsideOrganization: undefined,
      domains: [],
      createdAt: undefined,
      updatedAt: undefined,
      externalId: null,
      metadata: {},
    });
    const e = errorOf(run, 'native');
    assert.equal(e.constructor.name, 'OauthException');
    assert.equal(e.status, 408);
    assert.equal(e.message, 'Error: Request timeout');
  },

  async 'malformed-success-body'() {
    const cases = [
      [{ body: '{"id":', contentType: 'application/json' }, 'Body is unusable: Body has already been read', '{"id":'],
      [{ body: '', contentType: 'application/json' }, 'Body is unusable: Body has already been read', ''],
      [{ body: JSON.stringify(ORG), contentType: 'text/plain' }, "Cannot read properties of null (reading 'object')", JSON.stringify(ORG)],
    ];
    for (const [desc, officialMessage, rawBody] of cases) {
      const run = await parity.run(getOrg, { errors: true, setup: serve(orgRoute, 'GET', ORG_PATH, { ...desc, headers: { 'X-Request-ID': 'req_ok' } }) });
      const theirs = errorOf(run, 'official');
      assert.equal(theirs.constructor, TypeError);
      assert.equal(theirs.message, officialMessage);
      const ours = errorOf(run, 'native');
      assert.equal(ours.constructor, Error);
      assert.match(ours.message, /^Unexpected error: ParseError: ./);
      assert.ok(ours.cause instanceof nativeExports.ParseError);
      assert.deepEqual({ rawBody: ours.cause.rawBody, rawStatus: ours.cause.rawStatus, requestID: ours.cause.requestID }, { rawBody, rawStatus: 200, requestID: 'req_ok' });
    }

    const nullBody = await parity.run(getOrg, { errors: true, setup: serve(orgRoute, 'GET', ORG_PATH, { status: 400, body: 'null', contentType: 'application/json' }) });
    assert.equal(errorOf(nullBody, 'official').constructor, TypeError);
    assert.equal(errorOf(nullBody, 'official').message, "Cannot destructure property 'code' of 'data' as it is null.");
    const ours = errorOf(nullBody, 'native');
    assert.ok(ours instanceof nativeExports.GenericServerException);
    assert.equal(ours.status, 400);
    assert.deepStrictEqual(ours.rawData, {});
    assert.equal(ours.message, 'The request could not be completed.');
  },

  async 'network-errors'() {
    const reset = await parity.run(getOrg, { errors: true, setup: serve(orgRoute, 'GET', ORG_PATH, { reset: true }) });
    const theirs = errorOf(reset, 'official');
    assert.equal(theirs.message, 'Unexpected error: TypeError: fetch failed');
    assert.equal(theirs.cause.constructor, TypeError);
    const ours = errorOf(reset, 'native');
    assert.equal(ours.constructor, Error);
    assert.match(ours.message, /^Unexpected error: \S/);
    assert.notEqual(ours.message, theirs.message);
    assert.equal(ours.cause, undefined);

    // Connection refused: a port nobody listens on.
    const gone = await startMock();
    const port = gone.port;
    await gone.close();
    const target = { apiHostname: '127.0.0.1', port, https: false };
    const officialError = await new officialExports.WorkOS('sk_test', target).organizations.getOrganization('org_1').catch((e) => e);
    const nativeError = await new nativeExports.WorkOS('sk_test', { ...target, maxRetries: 0 }).organizations.getOrganization('org_1').catch((e) => e);
    assert.equal(officialError.message, 'Unexpected error: TypeError: fetch failed');
    assert.match(nativeError.message, /^Unexpected error: connection failed/);
  },

  async 'hidden-client-fields'() {
    const opts = { apiHostname: '127.0.0.1', port: mock.port, https: false };
    const theirs = new officialExports.WorkOS('sk_test_very_secret', { ...opts });
    const ours = new nativeExports.WorkOS('sk_test_very_secret', { ...opts });
    assert.ok(Object.keys(theirs).includes('key'));
    assert.ok(Object.keys(theirs).includes('options'));
    assert.match(util.inspect(theirs, { depth: 0 }), /sk_test_very_secret/);
    assert.equal(Object.keys(ours).includes('key'), false);
    assert.equal(Object.keys(ours).includes('options'), false);
    assert.equal(Object.getOwnPropertyDescriptor(ours, 'options'), undefined, 'options is read through a prototype getter, not an own property');
    assert.equal(ours.options.apiKey, undefined);
    assert.doesNotMatch(util.inspect(ours, { depth: Infinity }), /sk_test_very_secret/);
    assert.doesNotMatch(JSON.stringify(ours), /sk_test_very_secret/);
    assert.equal(ours.key, 'sk_test_very_secret');
    assert.equal(theirs.key, 'sk_test_very_secret');
    assert.equal(theirs.version, '8.13.0');
    assert.equal(ours.version, NATIVE_VERSION);

    mock.route('GET', '/organizations', listRoute([ORG]));
    const lists = await parity.run((w) => w.organizations.listOrganizations());
    assert.equal(typeof valueOf(lists, 'official').apiCall, 'function');
    assert.ok(Object.keys(valueOf(lists, 'official')).includes('apiCall'));
    assert.deepEqual(Object.keys(valueOf(lists, 'native')), ['object', 'options', 'list']);
    mock.reset();
  },

  async aliases() {
    mock.route('GET', '/organizations/org_1/feature-flags', {
      json: { object: 'list', data: [{ object: 'feature_flag', id: 'flag_1', name: 'Analytics', slug: 'advanced-analytics', enabled: true }], list_metadata: {} },
    });
    mock.route('POST', '/organizations/org_1/api_keys', {
      status: 201,
      json: { object: 'api_key', id: 'ak_1', owner: { type: 'organization', id: 'org_1' }, name: 'k', obfuscated_value: 'sk_…CRET', value: 'sk_test_SECRET', last_used_at: null, permissions: [] },
    });
    const flags = await parity.run((w) => w.organizations.listOrganizationFeatureFlags({ organizationId: 'org_1' }));
    const [theirFlag] = valueOf(flags, 'official').data;
    const [ourFlag] = valueOf(flags, 'native').data;
    assert.equal(theirFlag.key, undefined);
    assert.equal(ourFlag.key, 'advanced-analytics');
    assert.equal(Object.prototype.propertyIsEnumerable.call(ourFlag, 'key'), false);
    assert.deepStrictEqual(ourFlag, theirFlag);

    const keys = await parity.run((w) => w.organizations.createOrganizationApiKey({ organizationId: 'org_1', name: 'k' }));
    const theirKey = valueOf(keys, 'official');
    const ourKey = valueOf(keys, 'native');
    assert.equal(theirKey.secret, undefined);
    assert.equal(ourKey.secret, 'sk_test_SECRET');
    assert.equal(ourKey.secret, ourKey.value);
    assert.equal(Object.prototype.propertyIsEnumerable.call(ourKey, 'secret'), false);
    assert.equal(JSON.stringify(ourKey), JSON.stringify(theirKey));

    mock.route('GET', '/user_management/organization_memberships/om_1', {
      json: { object: 'organization_membership', id: 'om_1', user_id: 'user_1', organization_id: 'org_1', status: 'active', role: { slug: 'admin' }, created_at: 'T', updated_at: 'T' },
    });
    const memberships = await parity.run((w) => w.userManagement.getOrganizationMembership('om_1'));
    const theirs = valueOf(memberships, 'official');
    const ours = valueOf(memberships, 'native');
    assert.equal(theirs.roleSlug, undefined);
    assert.equal(ours.roleSlug, 'admin');
    assert.equal(Object.prototype.propertyIsEnumerable.call(ours, 'roleSlug'), false);
    assert.deepStrictEqual(ours, theirs);
    mock.reset();
  },

  async 'audit-log-idempotency-key'() {
    mock.route('POST', '/audit_logs/events', { status: 201, json: { success: true } });
    const run = await parity.run((w) => w.auditLogs.createEvent('org_1', AUDIT_EVENT()));
    assert.equal(valueOf(run, 'official'), undefined);
    assert.equal(valueOf(run, 'native'), undefined);
    assert.match(run.official.requests[0].headers['idempotency-key'], /^workos-node-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(run.native.requests[0].headers['idempotency-key'], /^workos-native-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(run.native.requests[0].body, run.official.requests[0].body);

    // One key per event, kept across attempts (both retry this path on a 500).
    const retried = await parity.run((w) => w.auditLogs.createEvent('org_1', AUDIT_EVENT()), {
      official: { timeout: 5000 },
      setup: serve(() => mock.route('POST', '/audit_logs/events', { status: 201, json: {} }), 'POST', '/audit_logs/events', { status: 500, json: {}, headers: { 'Retry-After': '0' } }),
    });
    for (const side of ['official', 'native']) {
      const keys = retried[side].requests.map((r) => r.headers['idempotency-key']);
      assert.equal(keys.length, 2, side);
      assert.equal(keys[0], keys[1], side);
    }
    mock.reset();
  },

  async 'occurred-at-string'() {
    mock.route('POST', '/audit_logs/events', { status: 201, json: {} });
    const run = await parity.run((w) => w.auditLogs.createEvent('org_1', { ...AUDIT_EVENT(), occurredAt: '2024-02-29T23:30:00+01:00' }));
    assert.equal(errorOf(run, 'official').constructor, TypeError);
    assert.equal(errorOf(run, 'official').message, 'event.occurredAt.toISOString is not a function');
    assert.deepEqual(run.official.requests, []);
    assert.equal(valueOf(run, 'native'), undefined);
    assert.equal(JSON.parse(run.native.requests[0].body).event.occurred_at, '2024-02-29T22:30:00.000Z');

    const bad = await parity.run((w) => w.auditLogs.createEvent('org_1', { ...AUDIT_EVENT(), occurredAt: 'yesterday' }));
    assert.equal(errorOf(bad, 'native').constructor, TypeError);
    assert.equal(errorOf(bad, 'native').message, 'event.occurredAt must be a valid Date or an ISO 8601 date-time string');
    assert.deepEqual(bad.native.requests, []);
    mock.reset();
  },

  async 'missing-arrays'() {
    const cases = [
      [(w) => w.organizations.getOrganization('org_1'), 'GET', ORG_PATH, { object: 'organization', id: 'org_1', name: 'No domains' }, (v) => v.domains],
      [(w) => w.organizations.listOrganizations(), 'GET', '/organizations', { object: 'list', list_metadata: { before: null, after: null } }, (v) => v.data],
      [(w) => w.organizations.listOrganizationRoles({ organizationId: 'org_1' }), 'GET', '/organizations/org_1/roles', { object: 'list' }, (v) => v.data],
      [(w) => w.organizations.listOrganizationApiKeys({ organizationId: 'org_1' }), 'GET', '/organizations/org_1/api_keys', { object: 'list', data: null, list_metadata: {} }, (v) => v.data],
    ];
    for (const [scenario, method, path, json, array] of cases) {
      const run = await parity.run(scenario, { errors: true, setup: serve(null, method, path, { json }) });
      const theirs = errorOf(run, 'official');
      assert.equal(theirs.constructor, TypeError);
      assert.equal(theirs.message, `Cannot read properties of ${json.data === null ? 'null' : 'undefined'} (reading 'map')`);
      assert.deepStrictEqual(array(valueOf(run, 'native')), []);
    }
  },

  async 'config-header-case'() {
    mock.route('GET', ORG_PATH, { json: ORG });
    const run = await parity.run(getOrg, { options: { config: { headers: { 'content-type': 'text/plain', accept: 'application/json' } } } });
    assert.equal(run.official.requests[0].headers['content-type'], 'application/json, text/plain');
    assert.equal(run.official.requests[0].headers.accept, 'application/json, text/plain, */*, application/json');
    assert.equal(run.native.requests[0].headers['content-type'], 'text/plain');
    assert.equal(run.native.requests[0].headers.accept, 'application/json');
    mock.reset();
  },

  async 'jwt-no-throw'() {
    const key = tokens.signingKey('kid_demo');
    mock.route('GET', JWKS_PATH, { json: tokens.jwks(key) });
    const claims = { sub: 'user_1', sid: 'session_1', exp: tokens.nowSeconds() + 3600 };
    const cases = [
      ['unknown kid', tokens.accessToken(tokens.signingKey('kid_unknown')), 'JWKSNoMatchingKey', 'ERR_JWKS_NO_MATCHING_KEY'],
      ['RS384', tokens.accessToken(key, {}, { alg: 'RS384' }), 'JWKSNoMatchingKey', 'ERR_JWKS_NO_MATCHING_KEY'],
      ['HS256', tokens.signJwt(claims, { alg: 'HS256', kid: key.kid }), 'JOSENotSupported', 'ERR_JOSE_NOT_SUPPORTED'],
      ['alg none', tokens.signJwt(claims, { alg: 'none', kid: key.kid }), 'JOSENotSupported', 'ERR_JOSE_NOT_SUPPORTED'],
    ];
    for (const [label, token, officialClass, code] of cases) {
      const cookie = sealedSession(token);
      for (const entry of [cookieAuthenticate, sessionCookieAuthenticate]) {
        const run = await parity.run((w) => entry(w, cookie), SESSION_CLIENT);
        assert.equal(errorOf(run, 'official').constructor.name, officialClass, label);
        assert.equal(errorOf(run, 'official').code, code, label);
        assert.deepStrictEqual(valueOf(run, 'native'), { authenticated: false, reason: 'invalid_jwt' }, label);
        // Neither reloads the key set for the unknown key within the cooldown: one JWKS request each.
        for (const side of ['official', 'native']) assert.deepEqual(paths(run, side), [JWKS_PATH], `${label} ${side}`);
      }
      const logout = await parity.run((w) => w.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: tokens.COOKIE_PASSWORD }).getLogoutUrl(), SESSION_CLIENT);
      assert.equal(errorOf(logout, 'official').constructor.name, officialClass, label);
      assert.equal(errorOf(logout, 'native').message, 'Failed to extract session ID for logout URL: invalid_jwt');
    }

    // A JWKS key without `alg`: jose verifies an RS384 token that key signed; workos-native does not.
    const { alg: _, ...noAlg } = key.jwk;
    mock.reset();
    mock.route('GET', JWKS_PATH, { json: { keys: [noAlg] } });
    const rs384 = await parity.run((w) => cookieAuthenticate(w, sealedSession(tokens.accessToken(key, {}, { alg: 'RS384' }))), SESSION_CLIENT);
    assert.equal(valueOf(rs384, 'official').authenticated, true);
    assert.deepStrictEqual(valueOf(rs384, 'native'), { authenticated: false, reason: 'invalid_jwt' });
    const rs256 = await parity.run((w) => cookieAuthenticate(w, sealedSession(tokens.accessToken(key))), SESSION_CLIENT);
    assert.equal(valueOf(rs256, 'official').authenticated, true);
    assert.equal(valueOf(rs256, 'native').authenticated, true);
  },

  async 'malformed-cookie-no-throw'() {
    const key = tokens.signingKey('kid_demo');
    mock.route('GET', JWKS_PATH, { json: tokens.jwks(key) });
    const data = { user: { object: 'user', id: 'user_1' }, accessToken: tokens.accessToken(key), refreshToken: 'ref_1' };
    const good = tokens.seal(data, tokens.COOKIE_PASSWORD);
    const { parts, suffix } = tokens.sealParts(good);
    const cookies = [
      ['bad expiration', tokens.seal(data, tokens.COOKIE_PASSWORD, { expiration: 'soon' }), 'Error', 'Invalid expiration'],
      ['MAC with "!"', tokens.joinSeal(parts.map((x, i) => (i === 7 ? `!${x.slice(1)}` : x)), suffix), tokens.OFFICIAL_BASE64.errorClass, tokens.OFFICIAL_BASE64.message],
      ['MAC of 4n+1 characters', tokens.joinSeal(parts.map((x, i) => (i === 7 ? x.slice(0, 41) : x)), suffix), tokens.OFFICIAL_BASE64.errorClass, tokens.OFFICIAL_BASE64.message],
      ['not JSON inside', tokens.seal(null, tokens.COOKIE_PASSWORD, { text: '{"accessToken": nope' }), 'Error', /^Failed parsing sealed object JSON: /],
    ];
    const entries = [
      [cookieAuthenticate, { authenticated: false, reason: 'invalid_session_cookie' }],
      [sessionCookieAuthenticate, { authenticated: false, reason: 'invalid_session_cookie' }],
      [(w, cookie) => w.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: tokens.COOKIE_PASSWORD }).refresh(), { authenticated: false, reason: 'invalid_session_cookie' }],
      [(w, cookie) => w.userManagement.getSessionFromCookie({ sessionData: cookie, cookiePassword: tokens.COOKIE_PASSWORD }), {}],
    ];
    for (const [label, cookie, officialClass, message] of cookies) {
      for (const [entry, expected] of entries) {
        const run = await parity.run((w) => entry(w, cookie), SESSION_CLIENT);
        const theirs = errorOf(run, 'official');
        assert.equal(theirs.constructor.name, officialClass, label);
        if (typeof message === 'string') assert.equal(theirs.message, message, label);
        else assert.match(theirs.message, message, label);
        assert.deepStrictEqual(valueOf(run, 'native'), expected, label);
        assert.deepEqual(paths(run, 'native'), [], `${label}: nothing sent`);
      }
    }
    // Short passwords throw in both, with the same error.
    const short = await parity.run((w) => cookieAuthenticate(w, good, 'x'.repeat(31)), SESSION_CLIENT);
    for (const side of ['official', 'native']) {
      assert.equal(errorOf(short, side).constructor, Error);
      assert.equal(errorOf(short, side).message, 'Password string too short (min 32 characters required)');
    }
  },

  async 'refresh-unreadable-access-token'() {
    const key = tokens.signingKey('kid_demo');
    mock.route('GET', JWKS_PATH, { json: tokens.jwks(key) });
    mock.route('POST', '/user_management/authenticate', {
      json: {
        user: { object: 'user', id: 'user_1', email: 'a@example.test' },
        organization_id: null,
        access_token: tokens.accessToken(key, { sid: 'session_new' }),
        refresh_token: 'ref_2',
        authentication_method: 'Password',
      },
    });
    const user = { object: 'user', id: 'user_1' };
    for (const [label, data] of [
      ['not a JWT', { user, accessToken: 'not-a-jwt', refreshToken: 'ref_1' }],
      ['missing', { user, refreshToken: 'ref_1' }],
    ]) {
      const cookie = tokens.seal(data, tokens.COOKIE_PASSWORD);
      const run = await parity.run((w) => w.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: tokens.COOKIE_PASSWORD }).refresh(), SESSION_CLIENT);
      assert.equal(errorOf(run, 'official').constructor.name, 'JWTInvalid', label);
      assert.equal(errorOf(run, 'official').code, 'ERR_JWT_INVALID', label);
      assert.deepEqual(run.official.requests, [], label);
      const ours = valueOf(run, 'native');
      assert.equal(ours.authenticated, true, label);
      assert.equal(ours.sessionId, 'session_new', label);
      assert.deepEqual(paths(run, 'native'), ['/user_management/authenticate'], label);
      const body = JSON.parse(run.native.requests[0].body);
      assert.equal(body.refresh_token, 'ref_1');
      assert.equal('organization_id' in body, false, label);
    }
  },

  async 'jwks-request-headers'() {
    const key = tokens.signingKey('kid_demo');
    mock.route('GET', JWKS_PATH, { json: tokens.jwks(key) });
    const cookie = sealedSession(tokens.accessToken(key));
    for (const appInfo of [undefined, { name: 'myapp', version: '1.2.3' }]) {
      const run = await parity.run((w) => cookieAuthenticate(w, cookie), { options: { clientId: 'client_test', ...(appInfo ? { appInfo } : {}) } });
      assert.equal(valueOf(run, 'official').authenticated, true);
      assert.equal(valueOf(run, 'native').authenticated, true);
      const [theirs] = run.official.exchanges;
      const [ours] = run.native.exchanges;
      for (const ex of [theirs, ours]) {
        assert.equal(ex.method, 'GET');
        assert.equal(ex.path, JWKS_PATH);
        assert.equal(ex.headers.authorization, undefined);
      }
      assert.equal(theirs.headers['user-agent'], 'jose/v6.2.2');
      assert.equal(theirs.headers.accept, 'application/json, application/jwk-set+json');
      assert.equal(theirs.headers['content-type'], undefined);
      const app = appInfo ? ` ${appInfo.name}: ${appInfo.version}` : '';
      assert.equal(ours.headers['user-agent'], `workos-native/${NATIVE_VERSION} (node/${process.version})${app}`);
      assert.equal(ours.headers.accept, 'application/json, text/plain, */*');
      assert.equal(ours.headers['content-type'], 'application/json');
    }
  },
};

// Sessions (the last four demonstrations): cookies sealed with the SDK's recipe
// (helpers/tokens.mjs) and clients with a client id, whose JWKS the mock serves.
const JWKS_PATH = '/sso/jwks/client_test';
const SESSION_CLIENT = { options: { clientId: 'client_test' } };
const sealedSession = (accessToken) =>
  tokens.seal({ user: { object: 'user', id: 'user_1' }, accessToken, refreshToken: 'ref_1', authenticationMethod: 'Password' }, tokens.COOKIE_PASSWORD);
const cookieAuthenticate = (w, cookie, cookiePassword = tokens.COOKIE_PASSWORD) => w.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword }).authenticate();
const sessionCookieAuthenticate = (w, cookie) => w.userManagement.authenticateWithSessionCookie({ sessionData: cookie, cookiePassword: tokens.COOKIE_PASSWORD });

test('every listed difference has a demonstration here, and every demonstration is listed', () => {
  assert.deepEqual(Object.keys(DEMOS).sort(), DIFFERENCES.map((d) => d.id).sort());
  for (const d of DIFFERENCES) {
    for (const field of ['id', 'title', 'official', 'native']) assert.equal(typeof d[field], 'string', `${d.id}.${field}`);
  }
  assert.equal(new Set(DIFFERENCES.map((d) => d.id)).size, DIFFERENCES.length);
});

describe('deliberate differences from @workos-inc/node 8.13.0', () => {
  for (const d of DIFFERENCES) {
    const demo = DEMOS[d.id];
    test(`${d.id}: ${difference(d.id).title}`, async () => {
      mock.reset();
      try {
        await demo();
      } finally {
        mock.reset();
      }
    });
  }
});
