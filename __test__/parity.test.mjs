// Parity of workos.organizations with @workos-inc/node 8.13.0: every scenario runs with both
// SDKs against the same server (the emulator behind the overlay, or the programmable mock with
// the official SDK's fixture-like wire objects); results must be deepStrictEqual and requests
// equal, except for the differences listed in helpers/differences.mjs (applied by assertParity).

import assert from 'node:assert/strict';
import util from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startEmulator, startOverlay } from './helpers/emulator.mjs';
import { listRoute, startMock } from './helpers/mock-server.mjs';
import { assertParity, blank, startParity } from './helpers/parity.mjs';
import { settleRequestIds } from './helpers/differences.mjs';

// ---------------------------------------------------------------------------------------
// Fixture-like wire objects (shapes as in the official SDK's src/organizations/fixtures)

const T = '2024-01-01T00:00:00.000Z';
/** Like create-organization.json: no created_at/updated_at/external_id/metadata, a bare domain. */
const ORG_BARE = {
  name: 'Test Organization',
  object: 'organization',
  id: 'org_01EHT88Z8J8795GZNQ4ZP1J81T',
  allow_profiles_outside_organization: false,
  domains: [{ domain: 'example.com', object: 'organization_domain', id: 'org_domain_01EHT88Z8WZEFWYPM6EC9BX2R8' }],
};
/** Like get-organization.json: a verified domain with a token, no verification_prefix. */
const ORG_VERIFIED = {
  name: 'Test Organization 3',
  object: 'organization',
  id: 'org_01EHT88Z8J8795GZNQ4ZP1J81V',
  allow_profiles_outside_organization: false,
  domains: [
    {
      domain: 'example.com',
      object: 'organization_domain',
      id: 'org_domain_01EHT88Z8WZEFWYPM6EC9BX2R9',
      state: 'verified',
      verification_strategy: 'dns',
      verification_token: 'xB8SeACdKJQP9DP4CahU4YuQZ',
    },
  ],
};
/** Like set-stripe-customer-id.json: stripe_customer_id present. */
const ORG_STRIPE = { ...ORG_BARE, id: 'org_stripe', stripe_customer_id: 'cus_MX8J9nfK4lP2Yw' };
/** Everything, with stripe_customer_id null, external id, metadata, timestamps and an unknown field. */
const ORG_FULL = {
  object: 'organization',
  id: 'org_full',
  name: 'Acme ✓',
  allow_profiles_outside_organization: true,
  domains: [
    {
      object: 'organization_domain',
      id: 'org_domain_full',
      organization_id: 'org_full',
      domain: 'acme.com',
      state: 'pending',
      verification_strategy: 'manual',
      verification_token: null,
      verification_prefix: 'workos-verify',
      created_at: T,
      updated_at: T,
    },
  ],
  stripe_customer_id: null,
  created_at: T,
  updated_at: T,
  external_id: 'ext_acme',
  metadata: { tier: 'gold' },
  unknown_field: 'dropped',
};
const ORGS_BY_ID = Object.fromEntries([ORG_BARE, ORG_VERIFIED, ORG_STRIPE, ORG_FULL].map((o) => [o.id, o]));

/** Like list-organization-roles.json: no resource_type_slug. */
const ROLES = {
  object: 'list',
  data: [
    { object: 'role', id: 'role_admin', name: 'Admin', slug: 'admin', description: null, permissions: ['posts:create', 'posts:delete'], type: 'EnvironmentRole', created_at: T, updated_at: T },
    { object: 'role', id: 'role_member', name: 'OrganizationMember', slug: 'org-member', description: null, permissions: ['posts:read'], type: 'OrganizationRole', created_at: T, updated_at: T },
  ],
};
/** Like list-organization-feature-flags.json: no tags/enabled/default_value, list_metadata {}. */
const FLAGS = {
  object: 'list',
  data: [
    { object: 'feature_flag', id: 'flag_1', name: 'Advanced Dashboard', slug: 'advanced-dashboard', description: 'Enable advanced dashboard features', created_at: T, updated_at: T },
    { object: 'feature_flag', id: 'flag_2', name: 'Beta Features', slug: 'beta-features', description: null, created_at: T, updated_at: T },
  ],
  list_metadata: {},
};
/** Like list-organization-api-keys.json. */
const API_KEYS = {
  object: 'list',
  data: [
    { object: 'api_key', id: 'api_key_1', owner: { type: 'organization', id: 'org_full' }, name: 'Production Key', obfuscated_value: 'sk_…PRYS', last_used_at: '2023-07-20T10:30:00.000Z', permissions: ['read', 'write'], created_at: T, updated_at: T },
    { object: 'api_key', id: 'api_key_2', owner: { type: 'organization', id: 'org_full' }, name: 'Development Key', obfuscated_value: 'sk_…PRYT', last_used_at: null, permissions: ['read'], created_at: T, updated_at: T },
  ],
  list_metadata: { before: null, after: 'api_key_2' },
};
const CREATED_API_KEY = {
  object: 'api_key',
  id: 'api_key_new',
  owner: { type: 'organization', id: 'org_full' },
  name: 'Production Key',
  obfuscated_value: 'sk_…ABCD',
  value: 'sk_test_secret_ABCD',
  last_used_at: null,
  permissions: ['read'],
  created_at: T,
  updated_at: T,
};
/** Twelve organizations for the list routes, oldest first; some lack timestamps. */
const ORG_LIST = Array.from({ length: 12 }, (_, i) => ({
  object: 'organization',
  id: `org_list_${String(i).padStart(2, '0')}`,
  name: `Org ${i}`,
  domains: i % 3 === 0 ? [] : [{ domain: `d${i}.example`, object: 'organization_domain', id: `org_domain_${i}` }],
  ...(i % 2 === 0 ? { created_at: T, updated_at: T } : {}),
  ...(i % 4 === 1 ? { stripe_customer_id: null } : {}),
}));

/** What the mock answers to a create/update: an organization made from the request body. */
function echoOrganization(id, body) {
  return {
    object: 'organization',
    id,
    name: body.name ?? 'unchanged',
    allow_profiles_outside_organization: false,
    domains: (body.domain_data ?? []).map((d, i) => ({ domain: d.domain, object: 'organization_domain', id: `org_domain_${i}`, state: d.state })),
    ...('stripe_customer_id' in body ? { stripe_customer_id: body.stripe_customer_id } : {}),
    external_id: body.external_id,
    metadata: body.metadata,
  };
}

// ---------------------------------------------------------------------------------------
// On the programmable mock

describe('organizations parity on the mock (fixture-like wire objects)', () => {
  let mock;
  let parity;
  before(async () => {
    mock = await startMock();
    parity = await startParity(mock);
    mock.list('/organizations', ORG_LIST);
    mock.route('GET', /^\/organizations\/external_id\/(?<ext>.+)$/, (req) => {
      const org = Object.values(ORGS_BY_ID).find((o) => o.external_id === decodeURIComponent(req.params.ext));
      return org ? { json: org } : { status: 404, json: { message: 'Organization not found' } };
    });
    mock.route('GET', /^\/organizations\/(?<id>[^/]+)$/, (req) => {
      const org = ORGS_BY_ID[req.params.id];
      return org ? { json: org } : { status: 404, json: { message: `Organization not found: '${req.params.id}'` } };
    });
    mock.route('POST', '/organizations', (req, body) => ({ status: 201, json: echoOrganization('org_created', body) }));
    mock.route('PUT', /^\/organizations\/(?<id>[^/]+)$/, (req, body) => ({ json: echoOrganization(req.params.id, body) }));
    mock.route('DELETE', /^\/organizations\/(?<id>[^/]+)$/, () => ({ status: 202, json: { ignored: true } }));
    mock.route('GET', /^\/organizations\/[^/]+\/roles$/, () => ({ json: ROLES }));
    mock.route('GET', /^\/organizations\/[^/]+\/feature-flags$/, () => ({ json: FLAGS }));
    mock.route('GET', /^\/organizations\/[^/]+\/api_keys$/, () => ({ json: API_KEYS }));
    mock.route('POST', /^\/organizations\/[^/]+\/api_keys$/, () => ({ status: 201, json: CREATED_API_KEY }));
  });
  after(async () => {
    await parity?.close();
    await mock?.close();
  });

  const same = async (scenario, opts) => assertParity(await parity.run(scenario, opts));

  describe('listOrganizations', () => {
    test('no options: order=desc, first page, listMetadata as sent', async () => {
      const run = await same((w) => w.organizations.listOrganizations());
      assert.equal(run.official.requests[0].query, 'order=desc');
      assert.equal(run.native.outcome.value.data.length, 10);
    });

    test('domains filter is one comma-joined parameter', async () => {
      const run = await same((w) => w.organizations.listOrganizations({ domains: ['a.com', 'b.example'] }));
      assert.equal(run.native.requests[0].query, 'domains=a.com%2Cb.example&order=desc');
    });

    test('limit, order and after keep the caller\'s key order', async () => {
      const run = await same((w) => w.organizations.listOrganizations({ limit: 3, order: 'asc', after: 'org_list_02' }));
      assert.equal(run.native.requests[0].query, 'limit=3&order=asc&after=org_list_02');
      assert.deepEqual(run.native.outcome.value.data.map((o) => o.id), ['org_list_03', 'org_list_04', 'org_list_05']);
    });

    test('before cursor; an `order: undefined` key keeps its place', async () => {
      const run = await same((w) => w.organizations.listOrganizations({ order: undefined, before: 'org_list_05', limit: 2 }));
      assert.equal(run.native.requests[0].query, 'order=desc&before=org_list_05&limit=2');
    });

    test('null and empty cursors are dropped, limit 0 is sent', async () => {
      const run = await same((w) => w.organizations.listOrganizations({ after: null, before: '', limit: 0 }));
      assert.equal(run.native.requests[0].query, 'limit=0&order=desc');
    });

    test('unknown extra keys are sent verbatim (strings, numbers, booleans, arrays, objects)', async () => {
      const run = await same((w) =>
        w.organizations.listOrganizations({ search: 'a b~*@', include: true, n: 1.5, ids: [1, 'x', ['y']], obj: { a: 1 }, skip: undefined }),
      );
      assert.equal(run.native.requests[0].query, 'search=a+b%7E*%40&include=true&n=1.5&ids=1%2Cx%2Cy&obj=%5Bobject+Object%5D&order=desc');
    });

    test('unknown keys holding very large or very small numbers are written as String() writes them', async () => {
      // 8.13.0: String(1e21) = '1e+21', String(1e-7) = '1e-7'.
      const run = await same((w) => w.organizations.listOrganizations({ big: 1e21, tiny: 1e-7 }));
      assert.equal(run.official.requests[0].query, 'big=1e%2B21&tiny=1e-7&order=desc');
    });

    test('a list without list_metadata (the listMetadata fixture spelling) reads as undefined', async () => {
      const run = await parity.run((w) => w.organizations.listOrganizations(), {
        setup: () => mock.enqueue('GET', '/organizations', { json: { object: 'list', data: [ORG_BARE], listMetadata: { before: 'before-id', after: null } } }),
      });
      assertParity(run);
      assert.equal(run.native.outcome.value.listMetadata, undefined);
    });

    test('autoPagination() with limit returns the first page without a request', async () => {
      const run = await same(async (w) => {
        const list = await w.organizations.listOrganizations({ limit: 4 });
        return { list, all: await list.autoPagination() };
      });
      assert.equal(run.native.requests.length, 1);
      assert.equal(run.native.outcome.value.all.length, 4);
    });

    test('autoPagination() from an `after` cursor sends the same requests (no two-ended walk)', async () => {
      const run = await same(async (w) => (await w.organizations.listOrganizations({ after: 'org_list_01', order: 'asc' })).autoPagination());
      assert.deepEqual(run.native.requests.map((r) => r.query), ['after=org_list_01&order=asc', 'after=org_list_01&order=asc&limit=100']);
      assert.equal(run.native.outcome.value.length, ORG_LIST.length - 2);
    });

    test('autoPagination() keeps `before` on every page, as officially', async () => {
      const run = await same(async (w) => (await w.organizations.listOrganizations({ before: 'org_list_08', order: 'asc' })).autoPagination());
      assert.deepEqual(run.native.requests.map((r) => r.query), [
        'before=org_list_08&order=asc',
        'before=org_list_08&order=asc&limit=100',
        'before=org_list_08&order=asc&limit=100&after=org_list_07',
      ]);
    });

    test('autoPagination(): a failing later page rejects with the same exception (requests differ: "iteration")', async () => {
      const many = Array.from({ length: 230 }, (_, i) => ({ object: 'organization', id: `org_many_${String(i).padStart(3, '0')}`, name: `M${i}`, domains: [] }));
      const pages = listRoute(many);
      const failed = { status: 500, json: { message: 'page failed' }, headers: { 'X-Request-ID': 'req_page' } };
      mock.route('GET', '/organizations', (req) => (new URLSearchParams(req.query).has('after') ? failed : pages(req)));
      try {
        const run = await parity.run(async (w) => (await w.organizations.listOrganizations()).autoPagination(), { errors: true });
        const outcome = (side) => ({ error: settleRequestIds(run[side].outcome.error, side, 'req_page') });
        assert.deepStrictEqual(outcome('native'), outcome('official'));
        assert.equal(run.native.outcome.error.class, 'GenericServerException');
        assert.equal(run.native.outcome.error.message, 'page failed');
      } finally {
        mock.route('GET', '/organizations', listRoute(ORG_LIST));
      }
    });

    test('autoPagination() gives the same array (the requests differ: difference "iteration")', async () => {
      const run = await parity.run(async (w) => (await w.organizations.listOrganizations({ order: 'asc' })).autoPagination());
      assert.deepStrictEqual(run.native.outcome, run.official.outcome);
      assert.equal(run.native.outcome.value.length, ORG_LIST.length);
    });
  });

  describe('single organizations', () => {
    test('getOrganization: bare fixture (no timestamps, bare domains)', () => same((w) => w.organizations.getOrganization(ORG_BARE.id)));
    test('getOrganization: verified domain without verification_prefix', () => same((w) => w.organizations.getOrganization(ORG_VERIFIED.id)));
    test('getOrganization: stripe_customer_id present', async () => {
      const run = await same((w) => w.organizations.getOrganization(ORG_STRIPE.id));
      assert.equal(run.native.outcome.value.stripeCustomerId, 'cus_MX8J9nfK4lP2Yw');
    });
    test('getOrganization: everything, stripe_customer_id null, unknown field dropped', async () => {
      const run = await same((w) => w.organizations.getOrganization(ORG_FULL.id));
      assert.ok(Object.hasOwn(run.native.outcome.value, 'stripeCustomerId'));
      assert.equal(run.native.outcome.value.stripeCustomerId, null);
    });
    test('getOrganizationByExternalId', () => same((w) => w.organizations.getOrganizationByExternalId('ext_acme')));

    test('createOrganization: unicode name, metadata, externalId null, verified and pending domainData, unknown keys dropped', async () => {
      const run = await same((w) =>
        w.organizations.createOrganization({
          name: 'Ünïcødé 株式会社 🚀 "quoted" \\ \n\t\u0001',
          domainData: [
            { domain: 'a.example', state: 'verified' },
            { domain: 'b.example', state: 'pending' },
          ],
          externalId: null,
          metadata: { plan: 'enterprise', 'key with space': 'vålue' },
          domains: ['ignored.example'],
          allowProfilesOutsideOrganization: true,
        }),
      );
      assert.equal(
        run.official.requests[0].body,
        JSON.stringify({
          name: 'Ünïcødé 株式会社 🚀 "quoted" \\ \n\t\u0001',
          domain_data: [
            { domain: 'a.example', state: 'verified' },
            { domain: 'b.example', state: 'pending' },
          ],
          external_id: null,
          metadata: { plan: 'enterprise', 'key with space': 'vålue' },
        }),
      );
    });

    test('createOrganization with { idempotencyKey }', async () => {
      const run = await same((w) => w.organizations.createOrganization({ name: 'Foo', externalId: 'ext_1' }, { idempotencyKey: 'idem-123' }));
      assert.equal(run.official.requests[0].headers['idempotency-key'], 'idem-123');
      assert.equal(run.native.requests[0].headers['idempotency-key'], 'idem-123');
    });

    test('updateOrganization: stripeCustomerId null, externalId, metadata, domainData', async () => {
      const run = await same((w) =>
        w.organizations.updateOrganization({
          organization: 'org_full',
          name: 'Renamed',
          domainData: [{ domain: 'acme.com', state: 'verified' }],
          stripeCustomerId: null,
          externalId: 'ext_new',
          metadata: { a: 'b' },
        }),
      );
      assert.equal(run.native.requests[0].method, 'PUT');
      assert.equal(run.native.requests[0].body, '{"name":"Renamed","domain_data":[{"domain":"acme.com","state":"verified"}],"stripe_customer_id":null,"external_id":"ext_new","metadata":{"a":"b"}}');
    });

    test('updateOrganization: only the id (empty body object)', async () => {
      const run = await same((w) => w.organizations.updateOrganization({ organization: 'org_bare' }));
      assert.equal(run.native.requests[0].body, '{}');
    });

    test('deleteOrganization resolves undefined without reading the body', async () => {
      const run = await same((w) => w.organizations.deleteOrganization('org_full'));
      assert.deepStrictEqual(run.native.outcome, { value: undefined });
    });

    test('listOrganizationRoles: plain { object, data }, no query even with extra options', async () => {
      const run = await same((w) => w.organizations.listOrganizationRoles({ organizationId: 'org_full', limit: 5 }));
      assert.equal(run.native.requests[0].query, '');
      assert.equal(run.native.requests[0].path, '/organizations/org_full/roles');
    });

    test('listOrganizationFeatureFlags: pagination options, list_metadata {}', async () => {
      const run = await same((w) => w.organizations.listOrganizationFeatureFlags({ organizationId: 'org_full', limit: 2, after: 'flag_0', order: 'asc' }));
      assert.equal(run.native.requests[0].query, 'limit=2&after=flag_0&order=asc');
      assert.deepStrictEqual(run.native.outcome.value.options, { limit: 2, after: 'flag_0', order: 'asc' });
    });

    test('listOrganizationApiKeys', () => same((w) => w.organizations.listOrganizationApiKeys({ organizationId: 'org_full' })));

    test('createOrganizationApiKey with permissions and { idempotencyKey }', async () => {
      const run = await same((w) =>
        w.organizations.createOrganizationApiKey({ organizationId: 'org_full', name: 'Production Key', permissions: ['read'] }, { idempotencyKey: 'k-1' }),
      );
      assert.equal(run.native.requests[0].body, '{"name":"Production Key","permissions":["read"]}');
    });

    test('createOrganizationApiKey without permissions', async () => {
      const run = await same((w) => w.organizations.createOrganizationApiKey({ organizationId: 'org_full', name: 'K' }));
      assert.equal(run.native.requests[0].body, '{"name":"K"}');
    });

    test('config.headers and appInfo reach the server the same way', async () => {
      const run = await same((w) => w.organizations.getOrganization(ORG_BARE.id), {
        options: { appInfo: { name: 'myapp', version: '1.2.3' }, config: { headers: { 'X-Custom': 'yes', Accept: 'application/json' } } },
      });
      assert.equal(run.native.requests[0].headers['x-custom'], 'yes');
      assert.equal(run.native.requests[0].headers.accept, 'application/json');
    });

    test('a client with only a clientId rejects with ApiKeyRequiredException before any request', async () => {
      const run = await same((w) => w.organizations.getOrganization(ORG_BARE.id), { options: { apiKey: '', clientId: 'client_1' } });
      assert.equal(run.native.outcome.error.class, 'ApiKeyRequiredException');
      assert.equal(run.native.requests.length, 0);
    });
  });

  describe('error responses', () => {
    /** Both sides meet `desc` on `method path` (once each); workos-native has maxRetries: 0. */
    const failing = async (method, path, desc, scenario) => {
      const run = await parity.run(scenario, { errors: true, setup: () => mock.enqueue(method, path, desc) });
      assertParity(run);
      assert.equal(run.native.requests.length, 1);
      return run.native.outcome.error;
    };
    const get = (w) => w.organizations.getOrganization('org_err');
    const GET = ['GET', '/organizations/org_err'];

    test('400 with code and errors → BadRequestException', async () => {
      const e = await failing(...GET, { status: 400, json: { code: 'bad', errors: [{ field: 'x', code: 'y' }], message: 'Bad thing' } }, get);
      assert.equal(e.class, 'BadRequestException');
      assert.deepStrictEqual(e.errors, [{ field: 'x', code: 'y' }]);
    });
    test('400 with only a message → GenericServerException', async () => {
      const e = await failing(...GET, { status: 400, json: { message: 'Bad thing only' } }, get);
      assert.equal(e.class, 'GenericServerException');
      assert.equal(e.status, 400);
    });
    test('400 OAuth error → OauthException', async () => {
      const e = await failing(...GET, { status: 400, json: { error: 'invalid_grant', error_description: 'desc' } }, get);
      assert.equal(e.class, 'OauthException');
      assert.equal(e.message, 'Error: invalid_grant\nError Description: desc');
    });
    test('401 → UnauthorizedException (body ignored)', async () => {
      const e = await failing(...GET, { status: 401, json: { message: 'Unauthorized' } }, get);
      assert.equal(e.class, 'UnauthorizedException');
    });
    test('403 → GenericServerException', async () => {
      const e = await failing(...GET, { status: 403, json: { message: 'Forbidden' } }, get);
      assert.equal(e.class, 'GenericServerException');
    });
    test('404 with a message', async () => {
      const e = await failing(...GET, { status: 404, json: { message: "Organization not found: 'org_err'", code: 'entity_not_found' } }, get);
      assert.equal(e.class, 'NotFoundException');
      assert.equal(e.code, 'entity_not_found');
    });
    test('404 without a message (DELETE): the default message names the path', async () => {
      const e = await failing('DELETE', '/organizations/org_err', { status: 404, json: {} }, (w) => w.organizations.deleteOrganization('org_err'));
      assert.equal(e.message, "The requested path '/organizations/org_err' could not be found.");
    });
    test('404 with an empty message keeps the empty message', async () => {
      const e = await failing(...GET, { status: 404, json: { message: '' } }, get);
      assert.equal(e.message, '');
      assert.equal(e.code, undefined);
    });
    test('409 with a message (POST)', async () => {
      const e = await failing('POST', '/organizations', { status: 409, json: { message: 'Already exists' } }, (w) => w.organizations.createOrganization({ name: 'Dup' }));
      assert.equal(e.class, 'ConflictException');
      assert.equal(e.message, 'Already exists');
    });
    test('409 with an error', async () => {
      const e = await failing(...GET, { status: 409, json: { error: 'conflict_thing' } }, get);
      assert.equal(e.message, 'Error: conflict_thing');
    });
    test('409 with neither', async () => {
      const e = await failing(...GET, { status: 409, json: {} }, get);
      assert.equal(e.message, 'An conflict has occurred on the server.');
    });
    test('422 with one error (PUT)', async () => {
      const e = await failing('PUT', '/organizations/org_err', { status: 422, json: { message: 'Validation failed', code: 'invalid', errors: [{ code: 'name_required', field: 'name' }] } }, (w) =>
        w.organizations.updateOrganization({ organization: 'org_err', name: '' }),
      );
      assert.equal(e.message, 'The following requirement must be met:\n\tname_required\n');
    });
    test('422 with two errors', async () => {
      const e = await failing(...GET, { status: 422, json: { message: 'Validation failed', code: 'invalid', errors: [{ code: 'a_required' }, { code: 'b_bad' }] } }, get);
      assert.equal(e.message, 'The following requirements must be met:\n\ta_required\n\tb_bad\n');
    });
    test('422 with an empty errors array', async () => {
      const e = await failing(...GET, { status: 422, json: { message: 'Validation failed', errors: [] } }, get);
      assert.equal(e.message, 'The following requirements must be met:\n');
    });
    test('422 without errors (set-stripe-customer-id-disabled fixture)', async () => {
      const e = await failing(...GET, { status: 422, json: { message: 'stripe_customer_id is not enabled for this environment', error: 'Unprocessable Entity' } }, get);
      assert.equal(e.message, 'stripe_customer_id is not enabled for this environment');
      assert.equal(Object.hasOwn(e, 'errors'), false);
    });
    test('429 with Retry-After (list)', async () => {
      const e = await failing('GET', '/organizations', { status: 429, json: { message: 'Slow down', code: 'rate_limit_exceeded' }, headers: { 'Retry-After': '7' } }, (w) =>
        w.organizations.listOrganizations(),
      );
      assert.equal(e.class, 'RateLimitExceededException');
      assert.equal(e.retryAfter, 7);
      assert.deepStrictEqual(e.rawData, {});
    });
    test('429 without Retry-After', async () => {
      const e = await failing(...GET, { status: 429, json: {} }, get);
      assert.equal(e.retryAfter, null);
      assert.equal(e.message, 'The request could not be completed.');
    });
    test('429 with an HTTP-date Retry-After gives NaN', async () => {
      const e = await failing(...GET, { status: 429, json: {}, headers: { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' } }, get);
      assert.ok(Number.isNaN(e.retryAfter));
    });
    test('500 → GenericServerException', async () => {
      const e = await failing(...GET, { status: 500, json: { message: 'boom' } }, get);
      assert.equal(e.class, 'GenericServerException');
      assert.equal(e.status, 500);
    });
    test('500 with code and errors → BadRequestException (status 400)', async () => {
      const e = await failing(...GET, { status: 500, json: { code: 'c', errors: [] } }, get);
      assert.equal(e.class, 'BadRequestException');
      assert.equal(e.status, 400);
    });
    test('500 whose JSON body is a bare string', async () => {
      const e = await failing(...GET, { status: 500, json: 'Ratelimited' }, get);
      assert.equal(e.rawData, 'Ratelimited');
    });
    test('502 with error and message → OauthException', async () => {
      const e = await failing(...GET, { status: 502, json: { error: 'x', message: 'm' } }, get);
      assert.equal(e.class, 'OauthException');
      assert.equal(e.message, 'Error: x');
    });
    test('503 with a non-JSON body → Error("Unexpected error: ParseError: …") with a ParseError cause', async () => {
      const e = await failing(...GET, { status: 503, body: 'Service Unavailable', contentType: 'text/plain' }, get);
      assert.equal(e.cause.class, 'ParseError');
      assert.equal(e.cause.rawStatus, 503);
      assert.equal(e.message, `Unexpected error: ParseError: Unexpected token 'S', "Service Unavailable" is not valid JSON`);
    });
    test('500 with a JSON body under a text/html content type is still mapped from the body', async () => {
      const e = await failing(...GET, { status: 500, body: '{"message":"html but json"}', contentType: 'text/html' }, get);
      assert.equal(e.class, 'GenericServerException');
      assert.equal(e.message, 'html but json');
    });
    test('404 without a message for an id that needs encoding: the message quotes the path as the caller wrote it', async () => {
      // The request paths differ by design (difference "path-encoding"); the exception must not.
      const run = await parity.run((w) => w.organizations.getOrganizationByExternalId('ext 1é'), {
        errors: true,
        setup: () => mock.enqueue('GET', '/organizations/external_id/ext%201%C3%A9', { status: 404, json: {} }),
      });
      assert.equal(run.official.outcome.error.message, "The requested path '/organizations/external_id/ext 1é' could not be found.");
      assert.equal(run.native.outcome.error.message, run.official.outcome.error.message);
    });
    test('ApiKeyRequiredException.path for an id that needs encoding is the path as the caller wrote it', async () => {
      const run = await same((w) => w.organizations.getOrganizationByExternalId('ext 1é'), { options: { apiKey: '', clientId: 'client_1' } });
      assert.equal(run.official.outcome.error.path, '/organizations/external_id/ext 1é');
    });
    test('a 2xx JSON body that is not an object (null, [], "x", 5) rejects instead of resolving an empty result', async () => {
      for (const body of ['null', '[]', '"x"', '5']) {
        for (const [path, call] of [
          ['/organizations/org_err', get],
          ['/organizations', (w) => w.organizations.listOrganizations()],
          ['/organizations/org_err/roles', (w) => w.organizations.listOrganizationRoles({ organizationId: 'org_err' })],
        ]) {
          const run = await parity.run(call, { errors: true, setup: () => mock.enqueue('GET', path, { body, contentType: 'application/json' }) });
          assert.equal(run.official.outcome.error?.class, 'TypeError', `official, ${path} answered ${body}`);
          assert.ok('error' in run.native.outcome, `${path} answered ${body}: workos-native resolved ${util.inspect(run.native.settled.value, { depth: 1 })}`);
        }
      }
    });
    test('headers arriving after the timeout → OauthException 408', async () => {
      const run = await parity.run(get, {
        errors: true,
        options: { timeout: 150 },
        setup: () => mock.enqueue(...GET, { delayMs: 600, json: ORG_BARE }),
      });
      assertParity(run);
      assert.equal(run.native.outcome.error.class, 'OauthException');
      assert.equal(run.native.outcome.error.status, 408);
    });
  });
});

// ---------------------------------------------------------------------------------------
// On the emulator (+ overlay for roles and API-key creation)

describe('organizations parity on the emulator', () => {
  let emu;
  let overlay;
  let parity;
  let ids;
  before(async () => {
    emu = await startEmulator({
      seed: {
        organizations: [
          { name: 'Acme', external_id: 'ext_acme', domains: [{ domain: 'acme.com', state: 'verified' }], metadata: { tier: 'gold' } },
          { name: 'Globex', domains: ['globex.com'], stripe_customer_id: 'cus_globex' },
          { name: 'Initech' },
          { name: 'Umbrella' },
          { name: 'Hooli' },
        ],
        featureFlags: [
          { slug: 'advanced-analytics', name: 'Advanced analytics', organizations: ['Acme'] },
          { slug: 'beta', description: 'Beta things', tags: ['t1'], organizations: ['Acme'] },
          { slug: 'off-for-acme' },
        ],
        organizationApiKeys: [
          { organization: 'Acme', name: 'CI key', permissions: ['read'] },
          { organization: 'Acme', name: 'Deploy key' },
        ],
      },
    });
    overlay = await startOverlay(emu);
    parity = await startParity(overlay);
    ids = emu.ids.organizations;
  });
  after(async () => {
    await parity?.close();
    await overlay?.close();
    await emu?.close();
  });

  const same = async (scenario, opts, normalize) => assertParity(await parity.run(scenario, opts), { normalize });
  /** Before each side, the seeded state again (so writes meet the same data). */
  const fresh = { setup: () => emu.reset() };
  // emu.reset() re-seeds with new timestamps; creations get new ids and secrets.
  const generated = blank('id', 'organizationId', 'createdAt', 'updatedAt', 'verificationToken', 'value', 'obfuscatedValue');

  test('listOrganizations()', async () => {
    const run = await same((w) => w.organizations.listOrganizations());
    assert.equal(run.native.outcome.value.data.length, 5);
  });
  test('listOrganizations({ domains })', async () => {
    const run = await same((w) => w.organizations.listOrganizations({ domains: ['acme.com'] }));
    assert.deepEqual(run.native.outcome.value.data.map((o) => o.name), ['Acme']);
  });
  test('listOrganizations({ limit, order: asc }) then { after }', async () => {
    const run = await same((w) => w.organizations.listOrganizations({ limit: 2, order: 'asc' }));
    assert.deepEqual(run.native.outcome.value.data.map((o) => o.name), ['Acme', 'Globex']);
    const next = await same((w) => w.organizations.listOrganizations({ limit: 2, order: 'asc', after: ids.Globex }));
    assert.deepEqual(next.native.outcome.value.data.map((o) => o.name), ['Initech', 'Umbrella']);
  });
  test('listOrganizations({ before })', () => same((w) => w.organizations.listOrganizations({ before: ids.Initech })));
  test('listOrganizations with unknown extra keys', () => same((w) => w.organizations.listOrganizations({ search: 'Acme', extra: 'x', limit: 3 })));
  test('getOrganization', () => same((w) => w.organizations.getOrganization(ids.Acme)));
  test('getOrganizationByExternalId', () => same((w) => w.organizations.getOrganizationByExternalId('ext_acme')));

  test('createOrganization (unicode, metadata, externalId null, domainData verified + pending)', async () => {
    const run = await same(
      (w) =>
        w.organizations.createOrganization({
          name: 'Ünïcødé 株式会社 🚀',
          domainData: [
            { domain: 'new.example', state: 'verified' },
            { domain: 'pending.example', state: 'pending' },
          ],
          externalId: null,
          metadata: { plan: 'enterprise' },
        }),
      fresh,
      generated,
    );
    assert.equal(run.native.outcome.value.name, 'Ünïcødé 株式会社 🚀');
  });
  test('createOrganization with { idempotencyKey }', () =>
    same((w) => w.organizations.createOrganization({ name: 'Keyed', externalId: 'ext_keyed' }, { idempotencyKey: 'idem-1' }), fresh, generated));
  test('updateOrganization (stripeCustomerId null, metadata)', async () => {
    const run = await same(
      (w) => w.organizations.updateOrganization({ organization: ids.Globex, name: 'Globex 2', stripeCustomerId: null, metadata: { a: 'b' } }),
      fresh,
      generated,
    );
    assert.equal(run.native.requests[0].body, '{"name":"Globex 2","stripe_customer_id":null,"metadata":{"a":"b"}}');
  });
  test('deleteOrganization', () => same((w) => w.organizations.deleteOrganization(ids.Hooli), fresh));
  test('listOrganizationRoles (overlay)', () => same((w) => w.organizations.listOrganizationRoles({ organizationId: ids.Acme })));
  test('listOrganizationFeatureFlags', async () => {
    const run = await same((w) => w.organizations.listOrganizationFeatureFlags({ organizationId: ids.Acme }));
    assert.deepEqual(run.native.outcome.value.data.map((f) => f.slug).sort(), ['advanced-analytics', 'beta']);
  });
  test('listOrganizationApiKeys', () => same((w) => w.organizations.listOrganizationApiKeys({ organizationId: ids.Acme, limit: 5 })));
  test('createOrganizationApiKey (overlay)', () =>
    same((w) => w.organizations.createOrganizationApiKey({ organizationId: ids.Acme, name: 'New key', permissions: ['read'] }, { idempotencyKey: 'ak-1' }), {}, generated));

  test('404 on getOrganization and getOrganizationByExternalId', async () => {
    await same((w) => w.organizations.getOrganization('org_missing'), { errors: true });
    await same((w) => w.organizations.getOrganizationByExternalId('missing'), { errors: true });
  });
  test('401 with a wrong API key', () => same((w) => w.organizations.getOrganization(ids.Acme), { errors: true, options: { apiKey: 'sk_test_wrong' } }));
  test('422 from API-key creation with an empty name', () =>
    same((w) => w.organizations.createOrganizationApiKey({ organizationId: ids.Acme, name: '' }), { errors: true }));
});
