// Integration tests of workos-native's workos.organizations on WorkOS's emulator, behind the
// overlay (which serves roles and API-key creation and records every request it receives).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { startEmulator, startOverlay } from './helpers/emulator.mjs';
import { WorkOS as OfficialWorkOS } from './helpers/official.mjs';
import { nativeUserAgent } from './helpers/differences.mjs';

const require = createRequire(import.meta.url);
const native = require('../index.js');
const { WorkOS, ApiKeyRequiredException, NotFoundException } = native;

const MANY = 120; // more than a first page (10) plus a later page (100)
const SEED = {
  organizations: [
    ...Array.from({ length: MANY }, (_, i) => ({ name: `Bulk ${String(i).padStart(3, '0')}` })),
    { name: 'Acme', external_id: 'ext_acme', domains: [{ domain: 'acme.com', state: 'verified' }], metadata: { tier: 'gold' } },
  ],
  featureFlags: [
    { slug: 'advanced-analytics', name: 'Advanced analytics', organizations: ['Acme'] },
    { slug: 'beta', organizations: ['Acme'] },
    { slug: 'not-for-acme' },
  ],
  organizationApiKeys: [{ organization: 'Acme', name: 'Seeded key', permissions: ['read'] }],
};

const ENV = ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID'];
const savedEnv = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

let emu;
let overlay;
let target; // { apiHostname, port, https: false } for the overlay
let workos;
let acme;

before(async () => {
  for (const k of ENV) delete process.env[k];
  emu = await startEmulator({ seed: SEED });
  overlay = await startOverlay(emu);
  target = { apiHostname: overlay.hostname, port: overlay.port, https: false };
  workos = new WorkOS(emu.apiKey, { ...target });
  acme = emu.ids.organizations.Acme;
});
after(async () => {
  await overlay?.close();
  await emu?.close();
  for (const k of ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

/** The requests the overlay received while `fn` ran. */
async function recorded(fn) {
  const mark = overlay.requests.length;
  const out = await fn();
  return { out, requests: overlay.requests.slice(mark) };
}

describe('round trip', () => {
  test('create → get → getByExternalId → update → delete → 404', async () => {
    const created = await workos.organizations.createOrganization(
      { name: 'Round Trip Ltd', externalId: 'ext_round_trip', domainData: [{ domain: 'roundtrip.example', state: 'verified' }], metadata: { plan: 'pro' } },
      { idempotencyKey: 'round-trip-1' },
    );
    assert.match(created.id, /^org_/);
    assert.equal(created.object, 'organization');
    assert.equal(created.name, 'Round Trip Ltd');
    assert.equal(created.externalId, 'ext_round_trip');
    assert.deepEqual(created.metadata, { plan: 'pro' });
    assert.deepEqual(created.domains.map((d) => [d.domain, d.state, d.organizationId]), [['roundtrip.example', 'verified', created.id]]);

    assert.deepStrictEqual(await workos.organizations.getOrganization(created.id), created);
    assert.deepStrictEqual(await workos.organizations.getOrganizationByExternalId('ext_round_trip'), created);

    const updated = await workos.organizations.updateOrganization({ organization: created.id, name: 'Round Trip Inc', metadata: { plan: 'enterprise' } });
    assert.equal(updated.id, created.id);
    assert.equal(updated.name, 'Round Trip Inc');
    assert.deepEqual(updated.metadata, { plan: 'enterprise' });
    assert.equal((await workos.organizations.getOrganization(created.id)).name, 'Round Trip Inc');

    const { out: deleted, requests } = await recorded(() => workos.organizations.deleteOrganization(created.id));
    assert.equal(deleted, undefined);
    assert.deepEqual(requests.map((r) => `${r.method} ${r.path}`), [`DELETE /organizations/${created.id}`]);

    const err = await workos.organizations.getOrganization(created.id).then(
      () => assert.fail('the deleted organization was still found'),
      (e) => e,
    );
    assert.ok(err instanceof NotFoundException);
    assert.equal(err.status, 404);
    assert.match(err.requestID, /^req_/);
  });

  test('the writes sent the official wire bodies', async () => {
    const { requests } = await recorded(async () => {
      const org = await workos.organizations.createOrganization({ name: 'Body Check', externalId: null, metadata: { a: '1' } });
      await workos.organizations.updateOrganization({ organization: org.id, stripeCustomerId: null, externalId: 'ext_body' });
      await workos.organizations.deleteOrganization(org.id);
    });
    assert.deepEqual(
      requests.map((r) => [r.method, r.body]),
      [
        ['POST', '{"name":"Body Check","external_id":null,"metadata":{"a":"1"}}'],
        ['PUT', '{"stripe_customer_id":null,"external_id":"ext_body"}'],
        ['DELETE', ''],
      ],
    );
  });
});

describe('lists', () => {
  const seededIds = () => emu.seeded.organizations.map((o) => o.id);

  test('for await walks every page of listOrganizations()', async () => {
    const { out: ids, requests } = await recorded(async () => {
      const ids = [];
      for await (const org of await workos.organizations.listOrganizations()) ids.push(org.id);
      return ids;
    });
    assert.deepEqual(ids, seededIds().reverse());
    assert.equal(requests.length, 3);
    assert.equal(requests[0].query, 'order=desc');
    assert.match(requests[1].query, /^limit=100&after=org_\w+&order=desc$/);
  });

  test('for await in ascending order, and the same items as autoPagination()', async () => {
    const list = await workos.organizations.listOrganizations({ order: 'asc' });
    const iterated = [];
    for await (const org of list) iterated.push(org);
    assert.deepEqual(iterated.map((o) => o.id), seededIds());
    assert.deepStrictEqual(await list.autoPagination(), iterated);
  });

  test('breaking out of for await stops fetching', async () => {
    const { out: names, requests } = await recorded(async () => {
      const names = [];
      for await (const org of await workos.organizations.listOrganizations({ order: 'asc' })) {
        names.push(org.name);
        if (names.length === 3) break;
      }
      await new Promise((r) => setTimeout(r, 100));
      return names;
    });
    assert.deepEqual(names, ['Bulk 000', 'Bulk 001', 'Bulk 002']);
    assert.ok(requests.length <= 2, `${requests.length} requests after a break on the first page`);
  });

  test('the list object has the official members', async () => {
    const list = await workos.organizations.listOrganizations({ limit: 2, domains: ['acme.com'] });
    assert.equal(list.object, 'list');
    assert.deepEqual(list.options, { limit: 2, domains: ['acme.com'] });
    assert.deepEqual(list.data.map((o) => o.name), ['Acme']);
    assert.deepEqual(list.listMetadata, { before: null, after: null });
    assert.equal(typeof list.autoPagination, 'function');
  });

  test('listOrganizationRoles returns a plain { object, data }', async () => {
    const roles = await workos.organizations.listOrganizationRoles({ organizationId: acme });
    assert.deepEqual(Object.keys(roles), ['object', 'data']);
    assert.deepEqual(roles.data.map((r) => r.slug), ['owner', 'admin', 'member']);
    assert.equal(roles.data[0].resourceTypeSlug, 'organization');
  });
});

describe('feature flags and API keys', () => {
  test('feature flags carry a non-enumerable key equal to the slug', async () => {
    const flags = [];
    for await (const flag of await workos.organizations.listOrganizationFeatureFlags({ organizationId: acme })) flags.push(flag);
    assert.deepEqual(flags.map((f) => f.key).sort(), ['advanced-analytics', 'beta']);
    for (const flag of flags) {
      assert.equal(flag.key, flag.slug);
      assert.equal(Object.keys(flag).includes('key'), false);
      assert.doesNotMatch(JSON.stringify(flag), /"key"/);
      assert.deepEqual(Object.keys(flag), ['object', 'id', 'name', 'slug', 'description', 'tags', 'enabled', 'defaultValue', 'createdAt', 'updatedAt']);
    }
    const first = await workos.organizations.listOrganizationFeatureFlags({ organizationId: acme });
    assert.equal(first.data[0].key, first.data[0].slug);
    assert.equal((await first.autoPagination())[0].key, first.data[0].slug);
  });

  test('createOrganizationApiKey: secret is a non-enumerable copy of value', async () => {
    const apiKey = await workos.organizations.createOrganizationApiKey({ organizationId: acme, name: 'Production API Key', permissions: ['read'] }, { idempotencyKey: 'api-key-1' });
    assert.match(apiKey.value, /^sk_test_/);
    assert.equal(apiKey.secret, apiKey.value);
    assert.equal(Object.getOwnPropertyDescriptor(apiKey, 'secret').enumerable, false);
    assert.deepEqual(Object.keys(apiKey), ['object', 'id', 'owner', 'name', 'obfuscatedValue', 'value', 'lastUsedAt', 'permissions', 'createdAt', 'updatedAt']);
    const json = JSON.stringify(apiKey);
    assert.doesNotMatch(json, /"secret"/);
    assert.equal(JSON.parse(json).value, apiKey.value);
    assert.deepEqual(apiKey.owner, { type: 'organization', id: acme });

    const listed = [];
    for await (const k of await workos.organizations.listOrganizationApiKeys({ organizationId: acme })) listed.push(k);
    const mine = listed.find((k) => k.id === apiKey.id);
    assert.ok(mine, 'the new key is listed');
    assert.equal(mine.value, undefined);
    assert.equal(mine.secret, undefined);
    assert.equal(mine.obfuscatedValue, apiKey.obfuscatedValue);
    assert.ok(listed.some((k) => k.name === 'Seeded key'));
  });
});

describe('argument checks', () => {
  const cases = [
    ['getOrganization(5)', (w) => w.organizations.getOrganization(5), /\bid\b/],
    ["getOrganization('')", (w) => w.organizations.getOrganization(''), /\bid\b/],
    ['deleteOrganization()', (w) => w.organizations.deleteOrganization(), /\bid\b/],
    ['getOrganizationByExternalId(null)', (w) => w.organizations.getOrganizationByExternalId(null), /externalId/],
    ['createOrganization({ name: 5 })', (w) => w.organizations.createOrganization({ name: 5 }), /name/],
    ['createOrganization({})', (w) => w.organizations.createOrganization({}), /name/],
    ['createOrganization()', (w) => w.organizations.createOrganization(), /payload/],
    ["createOrganization({ name, domainData: 'a.com' })", (w) => w.organizations.createOrganization({ name: 'x', domainData: 'a.com' }), /domainData/],
    ['updateOrganization({ name })', (w) => w.organizations.updateOrganization({ name: 'x' }), /organization/],
    ["listOrganizations({ domains: 'a.com' })", (w) => w.organizations.listOrganizations({ domains: 'a.com' }), /domains/],
    ["listOrganizations({ limit: '5' })", (w) => w.organizations.listOrganizations({ limit: '5' }), /limit/],
    ['listOrganizationRoles({})', (w) => w.organizations.listOrganizationRoles({}), /organizationId/],
    ['listOrganizationFeatureFlags({ organizationId: 1 })', (w) => w.organizations.listOrganizationFeatureFlags({ organizationId: 1 }), /organizationId/],
    ['listOrganizationApiKeys()', (w) => w.organizations.listOrganizationApiKeys(), /options/],
    ['createOrganizationApiKey({ organizationId })', (w) => w.organizations.createOrganizationApiKey({ organizationId: 'org_1' }), /name/],
  ];
  for (const [label, call, names] of cases) {
    test(`${label} rejects with a TypeError before any request`, async () => {
      const { out: err, requests } = await recorded(() => call(workos).then(() => assert.fail('resolved'), (e) => e));
      assert.equal(err.constructor, TypeError, String(err));
      assert.match(err.message, names);
      assert.deepEqual(requests, []);
    });
  }
});

describe('API key requirement', () => {
  test('with only a clientId every method rejects with ApiKeyRequiredException, as the official SDK does, without a request', async () => {
    const ours = new WorkOS({ clientId: 'client_123', ...target });
    const theirs = new OfficialWorkOS({ clientId: 'client_123', ...target });
    const calls = [
      ['/organizations', (w) => w.organizations.listOrganizations()],
      ['/organizations', (w) => w.organizations.createOrganization({ name: 'x' })],
      ['/organizations/org_1', (w) => w.organizations.getOrganization('org_1')],
      ['/organizations/external_id/ext_1', (w) => w.organizations.getOrganizationByExternalId('ext_1')],
      ['/organizations/org_1', (w) => w.organizations.updateOrganization({ organization: 'org_1', name: 'x' })],
      ['/organizations/org_1', (w) => w.organizations.deleteOrganization('org_1')],
      ['/organizations/org_1/roles', (w) => w.organizations.listOrganizationRoles({ organizationId: 'org_1' })],
      ['/organizations/org_1/feature-flags', (w) => w.organizations.listOrganizationFeatureFlags({ organizationId: 'org_1' })],
      ['/organizations/org_1/api_keys', (w) => w.organizations.listOrganizationApiKeys({ organizationId: 'org_1' })],
      ['/organizations/org_1/api_keys', (w) => w.organizations.createOrganizationApiKey({ organizationId: 'org_1', name: 'k' })],
    ];
    const { requests } = await recorded(async () => {
      for (const [path, call] of calls) {
        const e = await call(ours).then(() => assert.fail(`${path} resolved`), (x) => x);
        const o = await call(theirs).then(() => assert.fail(`${path} resolved (official)`), (x) => x);
        assert.ok(e instanceof ApiKeyRequiredException, `${path}: ${e}`);
        assert.equal(e.path, path);
        assert.equal(e.status, 403);
        assert.deepStrictEqual({ ...e, message: e.message }, { ...o, message: o.message });
      }
    });
    assert.deepEqual(requests, []);
  });
});

describe('constructor forms', () => {
  const missing = 'WorkOS requires either an API key or a clientId. For server-side: new WorkOS("sk_...") or new WorkOS({ apiKey: "sk_..." }). For PKCE/public clients: new WorkOS({ clientId: "client_..." })';
  const thrown = (fn) => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    assert.fail('did not throw');
  };

  test('a string key', async () => {
    const w = new WorkOS(emu.apiKey, { ...target });
    assert.equal(w.key, emu.apiKey);
    assert.equal(w.baseURL, `http://127.0.0.1:${overlay.port}`);
    assert.equal((await w.organizations.getOrganization(acme)).name, 'Acme');
  });

  test('an options object with apiKey (https default written into it, as officially)', async () => {
    const w = new WorkOS({ apiKey: emu.apiKey, ...target });
    assert.equal((await w.organizations.getOrganization(acme)).id, acme);
    const opts = { apiKey: 'sk_x', apiHostname: 'example.test', port: 0 };
    const ours = new WorkOS(opts);
    assert.equal(opts.https, true);
    const theirs = new OfficialWorkOS({ apiKey: 'sk_x', apiHostname: 'example.test', port: 0 });
    assert.equal(ours.baseURL, theirs.baseURL);
    assert.equal(ours.baseURL, 'https://example.test');
  });

  test('WORKOS_API_KEY from the environment', async () => {
    process.env.WORKOS_API_KEY = emu.apiKey;
    try {
      const w = new WorkOS({ ...target });
      const { out, requests } = await recorded(() => w.organizations.getOrganization(acme));
      assert.equal(out.id, acme);
      assert.equal(requests[0].headers.authorization, `Bearer ${emu.apiKey}`);
      assert.equal(w.key, emu.apiKey);
    } finally {
      delete process.env.WORKOS_API_KEY;
    }
  });

  test('WORKOS_CLIENT_ID reaches workos.clientId but not userManagement.clientId, as officially', () => {
    process.env.WORKOS_CLIENT_ID = 'client_env';
    try {
      const ours = new WorkOS();
      const theirs = new OfficialWorkOS();
      assert.equal(ours.clientId, 'client_env');
      assert.equal(ours.clientId, theirs.clientId);
      assert.equal(ours.userManagement.clientId, theirs.userManagement.clientId);
    } finally {
      delete process.env.WORKOS_CLIENT_ID;
    }
  });

  test('no key and no clientId: the official Error and message', () => {
    for (const args of [[], [''], [{}], [undefined, { apiHostname: 'x' }]]) {
      const ours = thrown(() => new WorkOS(...args));
      const theirs = thrown(() => new OfficialWorkOS(...args));
      assert.equal(ours.constructor, Error);
      assert.equal(ours.message, missing);
      assert.equal(ours.message, theirs.message);
    }
  });
});

describe('config.headers and appInfo', () => {
  const sent = async (options) => {
    const w = new WorkOS(emu.apiKey, { ...target, ...options });
    const { requests } = await recorded(() => w.organizations.getOrganization(acme));
    assert.equal(requests.length, 1);
    return requests[0].headers;
  };

  test('an object of headers and appInfo reach the server', async () => {
    const h = await sent({ config: { headers: { 'X-Custom': 'yes', 'X-Trace-Id': 'abc' } }, appInfo: { name: 'myapp', version: '1.2.3' } });
    assert.equal(h['x-custom'], 'yes');
    assert.equal(h['x-trace-id'], 'abc');
    assert.equal(h['user-agent'], nativeUserAgent({ name: 'myapp', version: '1.2.3' }));
    assert.match(h['user-agent'], / myapp: 1\.2\.3$/);
    assert.equal(h.authorization, `Bearer ${emu.apiKey}`);
  });

  test('[name, value] pairs reach the server', async () => {
    const h = await sent({ config: { headers: [['X-Pair', '1']] } });
    assert.equal(h['x-pair'], '1');
  });

  test('a Headers instance reaches the server (the official Node build accepts one)', async () => {
    const official = new OfficialWorkOS(emu.apiKey, { ...target, config: { headers: new Headers({ 'X-From-Headers': 'h1' }) } });
    const { requests } = await recorded(() => official.organizations.getOrganization(acme));
    assert.equal(requests[0].headers['x-from-headers'], 'h1');
    const h = await sent({ config: { headers: new Headers({ 'X-From-Headers': 'h1' }) } });
    assert.equal(h['x-from-headers'], 'h1');
  });

  test('config headers cannot replace the User-Agent or the Authorization', async () => {
    const h = await sent({ config: { headers: { 'User-Agent': 'mine', Authorization: 'Bearer other' } } });
    assert.equal(h['user-agent'], nativeUserAgent());
    assert.equal(h.authorization, `Bearer ${emu.apiKey}`);
  });
});
