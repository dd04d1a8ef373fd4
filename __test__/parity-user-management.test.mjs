// Parity of workos.userManagement (non-session methods) and workos.auditLogs.createEvent with
// @workos-inc/node 8.13.0: every scenario runs with both SDKs against the same programmable mock
// serving WorkOS-like wire objects (shaped like the official SDK's user-management fixtures);
// results must be deepStrictEqual and requests equal, except for the differences listed in
// helpers/differences.mjs (applied by assertParity).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMock } from './helpers/mock-server.mjs';
import { assertParity, startParity } from './helpers/parity.mjs';

// ---------------------------------------------------------------------------------------
// Fixture-like wire objects

const T = '2023-07-18T02:07:19.911Z';
const ORG_ID = 'org_01H5JQDV7R7ATEYZDEG0W5PRYS';

/** Like user.json: no external_id, no metadata, no locale. */
const USER = {
  object: 'user',
  id: 'user_01H5JQDV7R7ATEYZDEG0W5PRYS',
  email: 'test01@example.com',
  first_name: 'Test 01',
  last_name: 'User',
  created_at: T,
  updated_at: T,
  email_verified: true,
  profile_picture_url: 'https://example.com/profile_picture.jpg',
  last_sign_in_at: T,
};
/** Unicode names and email, every field, plus fields 8.13.0 does not know (dropped). */
const USER_UNICODE = {
  object: 'user',
  id: 'user_unicode',
  email: 'zoë.müller@exämple.com',
  email_verified: false,
  first_name: 'Zoë 🚀',
  last_name: '山田',
  profile_picture_url: null,
  last_sign_in_at: null,
  locale: 'de-DE',
  created_at: T,
  updated_at: T,
  external_id: 'ext_ü/1',
  metadata: { team: 'Ωmega', note: 'line\nbreak "quoted"' },
  name: 'Zoë 山田',
  unknown_field: 'dropped',
};
/** Twelve users for the list route, oldest first; even ones belong to ORG_ID. */
const USERS = Array.from({ length: 12 }, (_, i) => ({
  object: 'user',
  id: `user_list_${String(i).padStart(2, '0')}`,
  email: i === 3 ? 'ünï@example.com' : `user${i}@example.com`,
  email_verified: i % 2 === 0,
  first_name: i % 3 === 0 ? null : `Ü${i}`,
  last_name: `Nom ${i}`,
  profile_picture_url: null,
  last_sign_in_at: i % 4 === 0 ? null : T,
  created_at: T,
  updated_at: T,
  ...(i % 5 === 0 ? { external_id: null, metadata: {} } : {}),
}));
const USER_ORG = new Map(USERS.map((u, i) => [u.id, i % 2 === 0 ? ORG_ID : 'org_other']));
const USERS_BY_ID = Object.fromEntries([USER, USER_UNICODE, ...USERS].map((u) => [u.id, u]));

/** Like organization-membership.json: no roles, organization_name, custom_attributes, directory_managed. */
const MEMBERSHIP = {
  object: 'organization_membership',
  id: 'om_01H5JQDV7R7ATEYZDEG0W5PRYS',
  user_id: USER.id,
  organization_id: ORG_ID,
  status: 'active',
  role: { slug: 'member' },
  created_at: T,
  updated_at: T,
};
/** Everything: roles, organization_name, custom_attributes, directory_managed, an unknown field. */
const MEMBERSHIP_FULL = {
  object: 'organization_membership',
  id: 'om_full',
  user_id: USER_UNICODE.id,
  organization_id: ORG_ID,
  organization_name: 'Acmé 株式会社',
  status: 'inactive',
  directory_managed: true,
  role: { slug: 'admin' },
  roles: [{ slug: 'admin' }, { slug: 'billing' }],
  custom_attributes: { department: 'Ingeniería', level: 3 },
  created_at: T,
  updated_at: T,
  unknown_field: 'dropped',
};
/** Nulls where the deserializer has fallbacks; status pending. */
const MEMBERSHIP_NULLS = {
  object: 'organization_membership',
  id: 'om_nulls',
  user_id: 'user_list_01',
  organization_id: 'org_other',
  organization_name: null,
  status: 'pending',
  directory_managed: null,
  role: { slug: 'member' },
  roles: null,
  custom_attributes: null,
  created_at: T,
  updated_at: T,
};
const MEMBERSHIPS = [MEMBERSHIP, MEMBERSHIP_FULL, MEMBERSHIP_NULLS];
const MEMBERSHIPS_BY_ID = Object.fromEntries(MEMBERSHIPS.map((m) => [m.id, m]));

/** Like invitation.json: no accepted_user_id. */
const INVITATION = {
  object: 'invitation',
  id: 'invitation_01H5JQDV7R7ATEYZDEG0W5PRYS',
  email: 'test01@example.com',
  state: 'pending',
  accepted_at: null,
  revoked_at: null,
  expires_at: '2023-07-25T02:07:19.911Z',
  organization_id: ORG_ID,
  inviter_user_id: null,
  token: 'Z1uX3RbwcIl5fIGJJJCXXisdI',
  accept_invitation_url: 'https://myauthkit.com/invite?invitation_token=Z1uX3RbwcIl5fIGJJJCXXisdI',
  created_at: T,
  updated_at: T,
};
/** Accepted, with accepted_user_id, a unicode email and a role_slug 8.13.0 does not read. */
const INVITATION_ACCEPTED = {
  object: 'invitation',
  id: 'invitation_accepted',
  email: 'ñandú@exämple.com',
  state: 'accepted',
  accepted_at: T,
  revoked_at: null,
  expires_at: '2023-07-25T02:07:19.911Z',
  organization_id: ORG_ID,
  inviter_user_id: USER.id,
  accepted_user_id: USER_UNICODE.id,
  token: 'tok_accepted',
  accept_invitation_url: 'https://myauthkit.com/invite?invitation_token=tok_accepted',
  role_slug: 'admin',
  created_at: T,
  updated_at: T,
};
const INVITATIONS = [INVITATION, INVITATION_ACCEPTED];
const INVITATIONS_BY_ID = Object.fromEntries(INVITATIONS.map((i) => [i.id, i]));

function echoUser(id, body) {
  const base = USERS_BY_ID[id] ?? { ...USER, id };
  return {
    ...base,
    ...('email' in body ? { email: body.email } : {}),
    ...('email_verified' in body ? { email_verified: body.email_verified } : {}),
    ...('first_name' in body ? { first_name: body.first_name } : {}),
    ...('last_name' in body ? { last_name: body.last_name } : {}),
    ...('locale' in body ? { locale: body.locale } : {}),
    ...('external_id' in body ? { external_id: body.external_id } : {}),
    ...('metadata' in body ? { metadata: body.metadata } : {}),
  };
}
function echoMembership(id, body) {
  const base = MEMBERSHIPS_BY_ID[id] ?? { ...MEMBERSHIP, id, user_id: body.user_id, organization_id: body.organization_id };
  const slugs = body.role_slugs ?? (body.role_slug ? [body.role_slug] : undefined);
  return slugs ? { ...base, role: { slug: slugs[0] }, roles: slugs.map((slug) => ({ slug })) } : base;
}

const AUDIT_EVENT = () => ({
  action: 'user.signed_in',
  version: 2,
  occurredAt: new Date('2024-02-29T22:30:00.123Z'),
  actor: { type: 'user', id: USER_UNICODE.id, name: 'Zoë 山田', metadata: { role: 'admin' } },
  targets: [
    { type: 'team', id: 'team_1', name: 'Ωmega' },
    { type: 'document', id: 'doc_1', metadata: { nested_key: { deep: true } } },
  ],
  context: { location: '203.0.113.7', userAgent: 'Mozilla/5.0 (Ünïcode)' },
  metadata: { camelCase: 'kept', snake_case: 'kept', n: 1.5 },
});
const AUDIT_EVENT_MINIMAL = () => ({
  action: 'user.logged_out',
  occurredAt: new Date(0),
  actor: { type: 'user', id: 'user_1' },
  targets: [],
  context: { location: '1.2.3.4' },
});

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

// ---------------------------------------------------------------------------------------

describe('userManagement and auditLogs parity on the mock (fixture-like wire objects)', () => {
  let mock;
  let parity;

  function routes() {
    const P = '/user_management';
    mock.list(`${P}/users`, USERS, {
      filter: (u, req) => {
        const q = new URLSearchParams(req.query);
        if (q.get('email') && u.email !== q.get('email')) return false;
        if (q.get('organization_id') && USER_ORG.get(u.id) !== q.get('organization_id')) return false;
        return true;
      },
    });
    mock.route('GET', /^\/user_management\/users\/(?<id>[^/]+)$/, (req) => {
      const u = USERS_BY_ID[decodeURIComponent(req.params.id)];
      return u ? { json: u } : { status: 404, json: { message: `Could not find user '${req.params.id}'.`, code: 'entity_not_found' } };
    });
    mock.route('POST', `${P}/users`, (req, body) => ({ status: 201, json: echoUser('user_new', body) }));
    mock.route('PUT', /^\/user_management\/users\/(?<id>[^/]+)$/, (req, body) => ({ json: echoUser(req.params.id, body) }));
    mock.route('DELETE', /^\/user_management\/users\/[^/]+$/, { status: 204 });

    mock.list(`${P}/organization_memberships`, MEMBERSHIPS, {
      filter: (m, req) => {
        const q = new URLSearchParams(req.query);
        if (q.get('user_id') && m.user_id !== q.get('user_id')) return false;
        if (q.get('organization_id') && m.organization_id !== q.get('organization_id')) return false;
        if (q.get('statuses') && !q.get('statuses').split(',').includes(m.status)) return false;
        return true;
      },
    });
    const membershipOr404 = (id, fn) => {
      const m = MEMBERSHIPS_BY_ID[id];
      return m ? fn(m) : { status: 404, json: { message: `Could not find organization membership '${id}'.`, code: 'entity_not_found', entity_id: id } };
    };
    mock.route('GET', /^\/user_management\/organization_memberships\/(?<id>[^/]+)$/, (req) => membershipOr404(req.params.id, (m) => ({ json: m })));
    mock.route('POST', `${P}/organization_memberships`, (req, body) => ({ status: 201, json: echoMembership('om_new', body) }));
    mock.route('PUT', /^\/user_management\/organization_memberships\/(?<id>[^/]+)$/, (req, body) =>
      membershipOr404(req.params.id, () => ({ json: echoMembership(req.params.id, body) })),
    );
    mock.route('DELETE', /^\/user_management\/organization_memberships\/(?<id>[^/]+)$/, (req) =>
      membershipOr404(req.params.id, () => ({ status: 202, json: { ignored: true } })),
    );
    mock.route('PUT', /^\/user_management\/organization_memberships\/(?<id>[^/]+)\/deactivate$/, (req) =>
      membershipOr404(req.params.id, (m) => ({ json: { ...m, status: 'inactive' } })),
    );
    mock.route('PUT', /^\/user_management\/organization_memberships\/(?<id>[^/]+)\/reactivate$/, (req) =>
      membershipOr404(req.params.id, (m) => ({ json: { ...m, status: 'active' } })),
    );

    mock.list(`${P}/invitations`, INVITATIONS, {
      filter: (inv, req) => {
        const q = new URLSearchParams(req.query);
        if (q.get('email') && inv.email !== q.get('email')) return false;
        if (q.get('organization_id') && inv.organization_id !== q.get('organization_id')) return false;
        return true;
      },
    });
    const invitationOr404 = (id, fn) => {
      const inv = INVITATIONS_BY_ID[id];
      return inv ? fn(inv) : { status: 404, json: { message: `Could not find invitation '${id}'.`, code: 'entity_not_found' } };
    };
    mock.route('GET', /^\/user_management\/invitations\/by_token\/(?<token>[^/]+)$/, (req) => {
      const inv = INVITATIONS.find((i) => i.token === req.params.token);
      return inv ? { json: inv } : { status: 404, json: { message: 'Invitation not found.', code: 'entity_not_found' } };
    });
    mock.route('GET', /^\/user_management\/invitations\/(?<id>[^/]+)$/, (req) => invitationOr404(req.params.id, (inv) => ({ json: inv })));
    mock.route('POST', `${P}/invitations`, (req, body) => ({
      status: 201,
      json: {
        ...INVITATION,
        id: 'invitation_new',
        email: body.email,
        organization_id: body.organization_id ?? null,
        inviter_user_id: body.inviter_user_id ?? null,
      },
    }));
    mock.route('POST', /^\/user_management\/invitations\/(?<id>[^/]+)\/accept$/, (req) =>
      invitationOr404(req.params.id, (inv) =>
        inv.state !== 'pending'
          ? { status: 400, json: { code: 'invite_not_pending', message: 'Invite has already been accepted.' } }
          : { json: { ...inv, state: 'accepted', accepted_at: T, accepted_user_id: USER.id } },
      ),
    );
    mock.route('POST', /^\/user_management\/invitations\/(?<id>[^/]+)\/revoke$/, (req) =>
      invitationOr404(req.params.id, (inv) =>
        inv.state !== 'pending'
          ? { status: 400, json: { code: 'invite_not_pending', message: `Invite is in state '${inv.state}' and cannot be revoked.` } }
          : { json: { ...inv, state: 'revoked', revoked_at: T } },
      ),
    );
    mock.route('POST', /^\/user_management\/invitations\/(?<id>[^/]+)\/resend$/, (req) =>
      invitationOr404(req.params.id, (inv) => ({ json: { ...inv, expires_at: '2023-08-01T00:00:00.000Z' } })),
    );

    mock.route('POST', '/audit_logs/events', { status: 201, json: { success: true } });
  }

  before(async () => {
    mock = await startMock();
    parity = await startParity(mock);
    routes();
  });
  after(async () => {
    await parity?.close();
    await mock?.close();
  });

  const same = async (scenario, opts) => assertParity(await parity.run(scenario, opts));
  const only = (run) => {
    assert.equal(run.official.requests.length, 1, 'official sends one request');
    assert.equal(run.native.requests.length, 1, 'native sends one request');
    return run.official.requests[0];
  };

  // -------------------------------------------------------------------------------------
  describe('users', () => {
    test('getUser: user.json-like (no external_id / metadata → null / {})', async () => {
      const run = await same((w) => w.userManagement.getUser(USER.id));
      const req = only(run);
      assert.equal(req.method, 'GET');
      assert.equal(req.path, `/user_management/users/${USER.id}`);
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(run.official.outcome.value.externalId, null);
      assert.deepStrictEqual(run.official.outcome.value.metadata, {});
    });

    test('getUser: unicode, every field, unknown fields dropped', async () => {
      const run = await same((w) => w.userManagement.getUser(USER_UNICODE.id));
      assert.equal(run.native.outcome.value.firstName, 'Zoë 🚀');
      assert.equal('name' in run.official.outcome.value, false);
    });

    test('listUsers() without options: order=desc, options {}', async () => {
      const run = await same((w) => w.userManagement.listUsers());
      assert.equal(only(run).query, 'order=desc');
      assert.deepStrictEqual(run.official.outcome.value.options, {});
      assert.deepStrictEqual(run.native.outcome.value.options, {});
      assert.equal(run.native.outcome.value.data.length, 10);
    });

    test('listUsers({ email }) with a unicode email', async () => {
      const run = await same((w) => w.userManagement.listUsers({ email: 'ünï@example.com' }));
      assert.equal(run.native.outcome.value.data.length, 1);
    });

    test('listUsers({ organizationId, limit, order: asc, after })', async () => {
      const run = await same((w) => w.userManagement.listUsers({ organizationId: ORG_ID, limit: 2, order: 'asc', after: 'user_list_02' }));
      assert.match(only(run).query, /organization_id=/);
      assert.deepStrictEqual(run.native.outcome.value.data.map((u) => u.id), ['user_list_04', 'user_list_06']);
    });

    test('listUsers({ email with + and space, organizationId, order, after: "" }) (reference example)', async () => {
      const run = await same((w) => w.userManagement.listUsers({ organizationId: 'org_1', email: 'a b+c@x.com', order: 'asc', after: '' }));
      assert.equal(only(run).query, 'email=a+b%2Bc%40x.com&organization_id=org_1&order=asc');
    });

    test('listUsers({ before, limit })', () => same((w) => w.userManagement.listUsers({ before: 'user_list_05', limit: 3 })));

    test('createUser: every field (password hash, metadata, externalId null, unicode)', async () => {
      const run = await same((w) =>
        w.userManagement.createUser({
          email: 'zoë.müller@exämple.com',
          password: 'p@ss wörd',
          passwordHash: '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy',
          passwordHashType: 'bcrypt',
          firstName: 'Zoë 🚀',
          lastName: '山田',
          emailVerified: true,
          externalId: null,
          metadata: { team: 'Ωmega', empty: '' },
        }),
      );
      const req = only(run);
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/user_management/users');
      assert.deepStrictEqual(Object.keys(JSON.parse(req.body)), [
        'email',
        'password',
        'password_hash',
        'password_hash_type',
        'first_name',
        'last_name',
        'email_verified',
        'external_id',
        'metadata',
      ]);
      assert.equal(run.native.outcome.value.externalId, null);
    });

    test('createUser: only an email', () => same((w) => w.userManagement.createUser({ email: 'solo@example.com' })));

    test('createUser takes no request options: a second { idempotencyKey } argument is ignored by both', async () => {
      const run = await same((w) => w.userManagement.createUser({ email: 'k@example.com' }, { idempotencyKey: 'idem_ü_1' }));
      assert.equal(run.official.requests[0].headers['idempotency-key'], undefined);
      assert.notEqual(run.native.requests[0].headers['idempotency-key'], 'idem_ü_1');
    });

    test('updateUser: null values are sent as null; userId goes to the path only', async () => {
      const run = await same((w) =>
        w.userManagement.updateUser({
          userId: USER_UNICODE.id,
          email: 'new@exämple.com',
          emailVerified: false,
          firstName: null,
          lastName: null,
          externalId: null,
          locale: null,
          metadata: null,
        }),
      );
      const req = only(run);
      assert.equal(req.method, 'PUT');
      assert.equal(req.path, `/user_management/users/${USER_UNICODE.id}`);
      assert.equal(JSON.parse(req.body).first_name, null);
      assert.equal('user_id' in JSON.parse(req.body), false);
    });

    test('updateUser: null password / passwordHash / passwordHashType are sent as null, as official sends them', async () => {
      for (const key of ['password', 'passwordHash', 'passwordHashType']) {
        const run = await same((w) => w.userManagement.updateUser({ userId: USER.id, [key]: null }));
        assert.equal(JSON.parse(only(run).body)[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)], null, key);
      }
    });

    test('updateUser: password hash, locale and metadata', () =>
      same((w) =>
        w.userManagement.updateUser({
          userId: USER.id,
          passwordHash: 'hash',
          passwordHashType: 'firebase-scrypt',
          locale: 'fr-CA',
          externalId: 'ext_1',
          metadata: { a: 'b' },
        }),
      ));

    test('updateUser: only the id (body {})', async () => {
      const run = await same((w) => w.userManagement.updateUser({ userId: USER.id }));
      assert.equal(only(run).body, '{}');
    });

    test('deleteUser resolves undefined (204, no body)', async () => {
      const run = await same((w) => w.userManagement.deleteUser(USER.id));
      assert.equal(only(run).method, 'DELETE');
      assert.deepStrictEqual(run.native.outcome, { value: undefined });
    });
  });

  // -------------------------------------------------------------------------------------
  describe('organization memberships', () => {
    test('getOrganizationMembership: fixture without roles/organization_name/custom_attributes', async () => {
      const run = await same((w) => w.userManagement.getOrganizationMembership(MEMBERSHIP.id));
      assert.equal('roles' in run.official.outcome.value, false);
      assert.deepStrictEqual(run.official.outcome.value.customAttributes, {});
      assert.equal(run.official.outcome.value.directoryManaged, false);
    });

    test('getOrganizationMembership: roles, organization_name, custom_attributes, directory_managed', async () => {
      const run = await same((w) => w.userManagement.getOrganizationMembership(MEMBERSHIP_FULL.id));
      assert.deepStrictEqual(run.official.outcome.value.roles, MEMBERSHIP_FULL.roles);
    });

    test('getOrganizationMembership: null roles / custom_attributes / directory_managed', async () => {
      const run = await same((w) => w.userManagement.getOrganizationMembership(MEMBERSHIP_NULLS.id));
      assert.equal('roles' in run.official.outcome.value, false);
    });

    test('membership.roleSlug: a non-enumerable alias of role.slug in workos-native, absent officially', async () => {
      for (const m of MEMBERSHIPS) {
        const run = await same((w) => w.userManagement.getOrganizationMembership(m.id));
        const theirs = run.official.settled.value;
        const ours = run.native.settled.value;
        assert.equal(theirs.roleSlug, undefined, `${m.id} official`);
        assert.equal('roleSlug' in theirs, false, `${m.id} official`);
        assert.equal(ours.roleSlug, m.role.slug, `${m.id} native`);
        assert.equal(ours.roleSlug, ours.role.slug, `${m.id} native`);
        assert.equal(Object.prototype.propertyIsEnumerable.call(ours, 'roleSlug'), false, `${m.id} native`);
        assert.equal(Object.keys(ours).includes('roleSlug'), false);
        assert.equal(JSON.stringify(ours), JSON.stringify(theirs));
        assert.deepStrictEqual(ours, theirs);
      }
      // And on list items.
      const run = await same((w) => w.userManagement.listOrganizationMemberships({ organizationId: ORG_ID }));
      for (const [i, ours] of run.native.settled.value.data.entries()) {
        const theirs = run.official.settled.value.data[i];
        assert.equal(theirs.roleSlug, undefined);
        assert.equal(ours.roleSlug, ours.role.slug);
        assert.equal(Object.prototype.propertyIsEnumerable.call(ours, 'roleSlug'), false);
        assert.deepStrictEqual(ours, theirs);
      }
    });

    test('listOrganizationMemberships({ userId })', async () => {
      const run = await same((w) => w.userManagement.listOrganizationMemberships({ userId: USER.id }));
      assert.equal(only(run).query, `user_id=${USER.id}&order=desc`);
    });

    test('listOrganizationMemberships({ organizationId, statuses: [active, inactive], limit, order })', async () => {
      const run = await same((w) =>
        w.userManagement.listOrganizationMemberships({ organizationId: ORG_ID, statuses: ['active', 'inactive'], limit: 5, order: 'asc' }),
      );
      assert.match(only(run).query, /(^|&)statuses=active%2Cinactive(&|$)/);
      assert.equal(run.native.outcome.value.data.length, 2);
    });

    test('listOrganizationMemberships({ statuses: [pending], before, after })', () =>
      same((w) => w.userManagement.listOrganizationMemberships({ statuses: ['pending'], before: 'om_x', after: 'om_y' })));

    test('createOrganizationMembership with roleSlug', async () => {
      const run = await same((w) => w.userManagement.createOrganizationMembership({ organizationId: ORG_ID, userId: USER.id, roleSlug: 'admin' }));
      assert.equal(only(run).body, JSON.stringify({ organization_id: ORG_ID, user_id: USER.id, role_slug: 'admin' }));
    });

    test('createOrganizationMembership with roleSlugs', async () => {
      const run = await same((w) =>
        w.userManagement.createOrganizationMembership({ organizationId: ORG_ID, userId: USER.id, roleSlugs: ['admin', 'billing'] }),
      );
      assert.equal(only(run).body, JSON.stringify({ organization_id: ORG_ID, user_id: USER.id, role_slugs: ['admin', 'billing'] }));
      assert.equal(run.native.settled.value.roleSlug, 'admin');
    });

    test('createOrganizationMembership without a role', () =>
      same((w) => w.userManagement.createOrganizationMembership({ organizationId: ORG_ID, userId: USER_UNICODE.id })));

    test('updateOrganizationMembership with roleSlug', async () => {
      const run = await same((w) => w.userManagement.updateOrganizationMembership(MEMBERSHIP.id, { roleSlug: 'admin' }));
      const req = only(run);
      assert.equal(req.method, 'PUT');
      assert.equal(req.body, '{"role_slug":"admin"}');
      assert.equal(run.native.settled.value.roleSlug, 'admin');
    });

    test('updateOrganizationMembership with roleSlugs', () =>
      same((w) => w.userManagement.updateOrganizationMembership(MEMBERSHIP_FULL.id, { roleSlugs: ['billing'] })));

    test('deleteOrganizationMembership resolves undefined', async () => {
      const run = await same((w) => w.userManagement.deleteOrganizationMembership(MEMBERSHIP.id));
      assert.equal(only(run).method, 'DELETE');
      assert.deepStrictEqual(run.native.outcome, { value: undefined });
    });

    test('deactivateOrganizationMembership: PUT …/deactivate with body {}', async () => {
      const run = await same((w) => w.userManagement.deactivateOrganizationMembership(MEMBERSHIP.id));
      const req = only(run);
      assert.equal(req.method, 'PUT');
      assert.equal(req.path, `/user_management/organization_memberships/${MEMBERSHIP.id}/deactivate`);
      assert.equal(req.body, '{}');
      assert.equal(run.native.outcome.value.status, 'inactive');
    });

    test('reactivateOrganizationMembership: PUT …/reactivate with body {}', async () => {
      const run = await same((w) => w.userManagement.reactivateOrganizationMembership(MEMBERSHIP_FULL.id));
      const req = only(run);
      assert.equal(req.path, `/user_management/organization_memberships/${MEMBERSHIP_FULL.id}/reactivate`);
      assert.equal(req.body, '{}');
      assert.equal(run.native.outcome.value.status, 'active');
    });
  });

  // -------------------------------------------------------------------------------------
  describe('invitations', () => {
    test('getInvitation: invitation.json-like (no accepted_user_id)', async () => {
      const run = await same((w) => w.userManagement.getInvitation(INVITATION.id));
      assert.equal('acceptedUserId' in run.official.outcome.value, true);
      assert.equal(run.official.outcome.value.acceptedUserId, undefined);
    });

    test('getInvitation: accepted, unicode email, role_slug not read', () => same((w) => w.userManagement.getInvitation(INVITATION_ACCEPTED.id)));

    test('findInvitationByToken', async () => {
      const run = await same((w) => w.userManagement.findInvitationByToken(INVITATION.token));
      assert.equal(only(run).path, `/user_management/invitations/by_token/${INVITATION.token}`);
    });

    test('listInvitations() without options', async () => {
      const run = await same((w) => w.userManagement.listInvitations());
      assert.equal(only(run).query, 'order=desc');
    });

    test('listInvitations({ email, organizationId, limit, order, after })', async () => {
      const run = await same((w) =>
        w.userManagement.listInvitations({ email: 'ñandú@exämple.com', organizationId: ORG_ID, limit: 1, order: 'asc', after: 'inv_x' }),
      );
      assert.equal(run.native.outcome.value.data.length, 1);
    });

    test('sendInvitation: expiresInDays, inviterUserId, roleSlug, locale', async () => {
      const run = await same((w) =>
        w.userManagement.sendInvitation({
          email: 'ñandú@exämple.com',
          organizationId: ORG_ID,
          expiresInDays: 14,
          inviterUserId: USER.id,
          roleSlug: 'admin',
          locale: 'es',
        }),
      );
      assert.equal(
        only(run).body,
        JSON.stringify({ email: 'ñandú@exämple.com', organization_id: ORG_ID, expires_in_days: 14, inviter_user_id: USER.id, role_slug: 'admin', locale: 'es' }),
      );
    });

    test('sendInvitation: only an email', () => same((w) => w.userManagement.sendInvitation({ email: 'a@b.co' })));

    for (const [name, call, state] of [
      ['acceptInvitation', (w) => w.userManagement.acceptInvitation(INVITATION.id), 'accepted'],
      ['revokeInvitation', (w) => w.userManagement.revokeInvitation(INVITATION.id), 'revoked'],
    ]) {
      test(`${name}: POST with an empty body, Content-Length 0, Content-Type application/json`, async () => {
        const run = await same(call);
        const req = only(run);
        assert.equal(req.method, 'POST');
        assert.equal(req.body, '');
        assert.equal(req.headers['content-type'], 'application/json');
        for (const side of ['official', 'native']) {
          const ex = run[side].exchanges[0];
          assert.equal(ex.body, '', `${side} body`);
          assert.equal(ex.headers['content-length'], '0', `${side} Content-Length`);
          assert.equal(ex.headers['transfer-encoding'], undefined, `${side} Transfer-Encoding`);
          assert.equal(ex.headers['content-type'], 'application/json', `${side} Content-Type`);
        }
        assert.equal(run.native.outcome.value.state, state);
      });
    }

    test('resendInvitation without options: body {}', async () => {
      const run = await same((w) => w.userManagement.resendInvitation(INVITATION.id));
      assert.equal(only(run).body, '{}');
      assert.equal(only(run).path, `/user_management/invitations/${INVITATION.id}/resend`);
    });

    test('resendInvitation({ locale }): body {"locale":…}', async () => {
      const run = await same((w) => w.userManagement.resendInvitation(INVITATION.id, { locale: 'pt-BR' }));
      assert.equal(only(run).body, '{"locale":"pt-BR"}');
    });

    test('resendInvitation with options {}: body {}', async () => {
      const run = await same((w) => w.userManagement.resendInvitation(INVITATION.id, {}));
      assert.equal(only(run).body, '{}');
    });
  });

  // -------------------------------------------------------------------------------------
  describe('URLs (no request)', () => {
    test('getJwksUrl', async () => {
      const run = await same((w) => w.userManagement.getJwksUrl('client_01H5JQDV7R7ATEYZDEG0W5PRYS'));
      assert.equal(run.official.outcome.value, `http://127.0.0.1:${parity.port}/sso/jwks/client_01H5JQDV7R7ATEYZDEG0W5PRYS`);
      assert.deepStrictEqual(run.official.requests, []);
    });

    test('getJwksUrl without a client id → TypeError', async () => {
      const run = await same((w) => w.userManagement.getJwksUrl(''));
      assert.equal(run.official.outcome.error.class, 'TypeError');
    });

    test('getLogoutUrl: sessionId with a space, returnTo with a query', async () => {
      const run = await same((w) => w.userManagement.getLogoutUrl({ sessionId: 'sess 1', returnTo: 'https://app/x?y=1&z=2' }));
      assert.equal(
        run.official.outcome.value,
        `http://127.0.0.1:${parity.port}/user_management/sessions/logout?session_id=sess+1&return_to=https%3A%2F%2Fapp%2Fx%3Fy%3D1%26z%3D2`,
      );
    });

    test('getLogoutUrl: sessionId only (unicode)', () => same((w) => w.userManagement.getLogoutUrl({ sessionId: 'séss_ü' })));

    test('getLogoutUrl without a sessionId → TypeError', async () => {
      const run = await same((w) => w.userManagement.getLogoutUrl({ returnTo: 'https://app' }));
      assert.equal(run.official.outcome.error.class, 'TypeError');
    });
  });

  // -------------------------------------------------------------------------------------
  describe('error responses', () => {
    /** Both sides meet `desc` once (or the routes' own answer when desc is null); native has maxRetries: 0. */
    const failing = async (scenario, enqueue) => {
      const run = await parity.run(scenario, { errors: true, setup: enqueue ? () => mock.enqueue(...enqueue) : undefined });
      assertParity(run);
      assert.equal(run.official.requests.length, 1);
      assert.equal(run.native.requests.length, 1);
      assert.ok('error' in run.official.outcome, 'official rejects');
      return run.official.outcome.error;
    };

    test('404 unknown membership (GET) → NotFoundException with code', async () => {
      const e = await failing((w) => w.userManagement.getOrganizationMembership('om_missing'));
      assert.equal(e.class, 'NotFoundException');
      assert.equal(e.code, 'entity_not_found');
    });

    test('404 unknown membership (PUT deactivate)', async () => {
      const e = await failing((w) => w.userManagement.deactivateOrganizationMembership('om_missing'));
      assert.equal(e.class, 'NotFoundException');
    });

    test('404 unknown membership (DELETE)', () => failing((w) => w.userManagement.deleteOrganizationMembership('om_missing')));

    test('404 unknown invitation token', () => failing((w) => w.userManagement.findInvitationByToken('nope')));

    test('404 without a message: default message names the path', async () => {
      const e = await failing((w) => w.userManagement.getUser('user_gone'), ['GET', '/user_management/users/user_gone', { status: 404, json: {} }]);
      assert.equal(e.message, "The requested path '/user_management/users/user_gone' could not be found.");
    });

    test('400 invite_not_pending on revoke of an accepted invitation → GenericServerException', async () => {
      const e = await failing((w) => w.userManagement.revokeInvitation(INVITATION_ACCEPTED.id));
      assert.equal(e.class, 'GenericServerException');
      assert.equal(e.status, 400);
      assert.deepStrictEqual(e.rawData, { code: 'invite_not_pending', message: "Invite is in state 'accepted' and cannot be revoked." });
    });

    test('400 invite_not_pending on accept of an accepted invitation', () => failing((w) => w.userManagement.acceptInvitation(INVITATION_ACCEPTED.id)));

    test('422 validation with errors (createUser) → UnprocessableEntityException', async () => {
      const body = {
        code: 'invalid_request_parameters',
        message: 'Validation failed',
        errors: [
          { code: 'password_too_short', field: 'password', message: 'Password is too short.' },
          { code: 'email_invalid', field: 'email', message: 'Ëmail is invalid.' },
        ],
      };
      const e = await failing((w) => w.userManagement.createUser({ email: 'bad', password: 'x' }), ['POST', '/user_management/users', { status: 422, json: body }]);
      assert.equal(e.class, 'UnprocessableEntityException');
      assert.equal(e.message, 'The following requirements must be met:\n\tpassword_too_short\n\temail_invalid\n');
      assert.equal(e.code, 'invalid_request_parameters');
    });

    test('422 with one error (sendInvitation)', async () => {
      const e = await failing(
        (w) => w.userManagement.sendInvitation({ email: 'x' }),
        ['POST', '/user_management/invitations', { status: 422, json: { code: 'invalid', message: 'no', errors: [{ code: 'email_required' }] } }],
      );
      assert.equal(e.message, 'The following requirement must be met:\n\temail_required\n');
    });

    test('409 (createOrganizationMembership) → ConflictException', async () => {
      const e = await failing(
        (w) => w.userManagement.createOrganizationMembership({ organizationId: ORG_ID, userId: USER.id, roleSlug: 'member' }),
        [
          'POST',
          '/user_management/organization_memberships',
          { status: 409, json: { code: 'organization_membership_already_exists', message: 'The user is already a member of this organization.' } },
        ],
      );
      assert.equal(e.class, 'ConflictException');
      assert.equal(e.status, 409);
    });

    test('409 with only error (createUser)', () =>
      failing((w) => w.userManagement.createUser({ email: 'dup@example.com' }), ['POST', '/user_management/users', { status: 409, json: { error: 'email_not_available' } }]));

    test('400 with code and errors (updateUser) → BadRequestException', async () => {
      const e = await failing(
        (w) => w.userManagement.updateUser({ userId: USER.id, email: 'x' }),
        ['PUT', `/user_management/users/${USER.id}`, { status: 400, json: { code: 'bad', errors: [{ field: 'email', code: 'invalid' }], message: 'Bad thing' } }],
      );
      assert.equal(e.class, 'BadRequestException');
    });

    test('500 on a list → GenericServerException', () =>
      failing((w) => w.userManagement.listUsers({ limit: 1 }), ['GET', '/user_management/users', { status: 500, json: { message: 'boom' } }]));
  });

  // -------------------------------------------------------------------------------------
  describe('auditLogs.createEvent', () => {
    /**
     * Difference 'audit-log-idempotency-key': each side's generated key has its own prefix, one per
     * call (the same on every attempt). Checks that, sets both aside, then asserts parity.
     */
    const auditSame = async (scenario, opts) => {
      const run = await parity.run(scenario, opts);
      for (const [side, prefix] of [
        ['official', 'workos-node-'],
        ['native', 'workos-native-'],
      ]) {
        const keys = run[side].requests.map((r) => r.headers['idempotency-key']);
        assert.ok(keys.length >= 1, `${side} sent a request`);
        for (const k of keys) assert.match(k ?? '', new RegExp(`^${prefix}${UUID}$`), `${side} Idempotency-Key`);
        assert.equal(new Set(keys).size, 1, `${side} keeps one key across attempts`);
        run[side].requests = run[side].requests.map((r) => ({ ...r, headers: { ...r.headers, 'idempotency-key': '<generated>' } }));
      }
      assertParity(run);
      return run;
    };

    test('Date occurredAt, every field: body shape and key order', async () => {
      const run = await auditSame((w) => w.auditLogs.createEvent(ORG_ID, AUDIT_EVENT()));
      const req = only(run);
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/audit_logs/events');
      const body = JSON.parse(req.body);
      assert.deepStrictEqual(Object.keys(body), ['event', 'organization_id']);
      assert.deepStrictEqual(Object.keys(body.event), ['action', 'version', 'occurred_at', 'actor', 'targets', 'context', 'metadata']);
      assert.deepStrictEqual(body.event.context, { location: '203.0.113.7', user_agent: 'Mozilla/5.0 (Ünïcode)' });
      assert.equal(body.event.occurred_at, '2024-02-29T22:30:00.123Z');
      assert.equal(run.native.requests[0].body, run.official.requests[0].body);
      assert.deepStrictEqual(run.native.outcome, { value: undefined });
    });

    test('minimal event: undefined version / metadata / user_agent vanish', async () => {
      const run = await auditSame((w) => w.auditLogs.createEvent('org_1', AUDIT_EVENT_MINIMAL()));
      const body = JSON.parse(only(run).body);
      assert.deepStrictEqual(Object.keys(body.event), ['action', 'occurred_at', 'actor', 'targets', 'context']);
      assert.deepStrictEqual(body.event.context, { location: '1.2.3.4' });
      assert.equal(body.event.occurred_at, '1970-01-01T00:00:00.000Z');
    });

    test('with { idempotencyKey }: both send the caller key', async () => {
      const run = await same((w) => w.auditLogs.createEvent(ORG_ID, AUDIT_EVENT(), { idempotencyKey: 'audit-key-1' }));
      assert.equal(run.official.requests[0].headers['idempotency-key'], 'audit-key-1');
      assert.equal(run.native.requests[0].headers['idempotency-key'], 'audit-key-1');
    });

    test('a 500 then 201: both retry once with the same key', async () => {
      const run = await auditSame((w) => w.auditLogs.createEvent(ORG_ID, AUDIT_EVENT()), {
        official: { timeout: 10_000 },
        setup: () => mock.enqueue('POST', '/audit_logs/events', { status: 500, json: {}, headers: { 'Retry-After': '0' } }),
      });
      assert.equal(run.official.requests.length, 2);
      assert.equal(run.native.requests.length, 2);
    });

    test('400 with code and errors → BadRequestException', async () => {
      const run = await auditSame((w) => w.auditLogs.createEvent(ORG_ID, AUDIT_EVENT()), {
        errors: true,
        setup: () =>
          mock.enqueue('POST', '/audit_logs/events', {
            status: 400,
            json: { code: 'invalid_audit_log', message: 'Invalid Audit Log event', errors: [{ instancePath: '/targets', message: 'bad' }] },
          }),
      });
      assert.equal(run.official.outcome.error.class, 'BadRequestException');
    });

    test('422 for an unknown action → UnprocessableEntityException', async () => {
      const run = await auditSame((w) => w.auditLogs.createEvent(ORG_ID, AUDIT_EVENT_MINIMAL()), {
        errors: true,
        setup: () => mock.enqueue('POST', '/audit_logs/events', { status: 422, json: { message: 'Invalid action', code: 'invalid_action' } }),
      });
      assert.equal(run.official.outcome.error.class, 'UnprocessableEntityException');
    });
  });
});
