// createGuards(workos, options): the Express guards (requireAuth, requireOrganization,
// requireRole, requireFeature) in real Express 4 and Express 5 apps. The same suite runs for
// both. Decisions, caches and write-through invalidation run against WorkOS's emulator behind
// the overlay (which serves organization feature flags and records every request it
// receives); WorkOS failing (500, timeout, connection reset) and races run against the mock.

import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import express4 from 'express4';
import express5 from 'express5';
import { startEmulator, startOverlay } from './helpers/emulator.mjs';
import { closeAll, listen } from './helpers/app-servers.mjs';
import { startMock } from './helpers/mock-server.mjs';
import { officialClient } from './helpers/official.mjs';
import { FAST_AFTER_GUARDS, noteSymbols, shapeOf } from './helpers/request-shape.mjs';

const require = createRequire(import.meta.url);
const { WorkOS, createGuards, GuardError } = require('../index.js');

// ---------------------------------------------------------------------------------------
// Unhandled rejections are recorded; the tests about failures in the app assert there are none
// (node:test also fails whichever test one happens in).

const rejections = [];
const onRejection = (reason) => rejections.push(reason);
process.on('unhandledRejection', onRejection);
after(() => process.off('unhandledRejection', onRejection));

/** Lets pending promise jobs and `unhandledRejection` events run. */
async function settleEvents() {
  await new Promise((r) => setImmediate(r));
  await sleep(20);
  await new Promise((r) => setImmediate(r));
}

// ---------------------------------------------------------------------------------------
// Servers and requests

const ACME_FLAG = 'advanced_analytics';
const FEATURE_DENIED = `Feature '${ACME_FLAG}' not available for this organization`;

/** GET `base + path` → { status, body (parsed JSON or text), text }. */
function get(agent, base, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: 'GET', headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body = text;
        try {
          body = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode, body, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers for user `userId` (read by the app's stand-in authentication) and organization `orgId`. */
function as(userId, orgId) {
  const h = {};
  if (userId !== undefined) h['x-user-id'] = userId;
  if (orgId !== undefined) h['x-organization-id'] = orgId;
  return h;
}

/** The app's authentication stand-in: `x-user-id` → `req.user = { id }`. */
function fakeAuth(req, res, next) {
  const id = req.headers['x-user-id'];
  if (id) req.user = { id, email: `${id}@example.test` };
  next();
}

/**
 * An Express app with the guards on the usual routes:
 *   /auth       requireAuth()
 *   /org        requireAuth(), requireOrganization
 *   /admin      requireAuth(), requireOrganization, requireRole('admin', 'owner')
 *   /analytics  requireAuth(), requireOrganization, requireFeature('advanced_analytics')
 *   /full       all four, in the benchmark's order
 *   /role-only  requireRole('admin', 'owner') without requireOrganization
 * Every handler counts its calls in `counter.hits` and echoes what the guards set.
 */
/** Calls middleware `mw` directly: `{ sync, next: true, err }` when it calls next, or
 *  `{ sync, denied: { status, body } }` when it answers; `sync` says whether it did so before
 *  returning. */
function runMiddleware(mw, req) {
  return new Promise((resolve) => {
    const res = {
      status(s) {
        this.code = s;
        return this;
      },
      json(b) {
        resolve({ sync, denied: { status: this.code, body: b } });
      },
    };
    let sync = true;
    mw(req, res, (err) => resolve({ sync, next: true, err }));
    sync = false;
  });
}

function guardedApp(express, guards, counter, { errorHandler = true } = {}) {
  const app = express();
  // Keeps Express's default error handler from logging the GuardErrors it answers.
  app.set('env', 'test');
  app.use(fakeAuth);
  const echo = (req, res) => {
    counter.hits++;
    const m = req.membership;
    res.json({
      ok: true,
      membership: m,
      roleSlug: m?.roleSlug,
      membershipKeys: m ? Object.keys(m) : null,
      organization: req.organization,
    });
  };
  app.get('/auth', guards.requireAuth(), echo);
  app.get('/org', guards.requireAuth(), guards.requireOrganization, echo);
  app.get('/admin', guards.requireAuth(), guards.requireOrganization, guards.requireRole('admin', 'owner'), echo);
  app.get('/analytics', guards.requireAuth(), guards.requireOrganization, guards.requireFeature(ACME_FLAG), echo);
  app.get(
    '/full',
    guards.requireAuth(),
    guards.requireOrganization,
    guards.requireRole('admin', 'owner'),
    guards.requireFeature(ACME_FLAG),
    echo,
  );
  app.get('/role-only', guards.requireRole('admin', 'owner'), echo);
  const symbols = noteSymbols();
  app.get('/shape', symbols.middleware, guards.requireAuth(), guards.requireOrganization, (req, res) => {
    counter.hits++;
    res.json(shapeOf(req, symbols.before(req)));
  });
  if (errorHandler) {
    app.use((err, req, res, next) => {
      counter.errors = [...(counter.errors ?? []), err];
      res.status(599).json({
        caught: true,
        isGuardError: err instanceof GuardError,
        name: err.name,
        message: err.message,
        status: err.status,
        statusCode: err.statusCode,
        code: err.code,
        expose: err.expose,
        body: err.body,
        hasCause: err.cause instanceof Error,
      });
    });
  }
  return app;
}

// ---------------------------------------------------------------------------------------
// The emulator's world

const NAMES = [
  'admin', 'owner', 'member', 'multi', 'outsider', 'inactive', 'pending', 'toggle', 'newbie',
  'roleup', 'delme', 'flood', 'floodcold', 'floodtimed', 'conc', 'oob', 'negative', 'ttl0',
  'ttl', 'custom', 'renamer', 'doomed', 'bulk', 'thrower', 'sync', 'mutate', 'twice', 'joiner',
];
const email = (n) => `${n}@example.com`;
const BULK = 120; // the bulk user's memberships span two pages of 100

function seed() {
  const activeAdmins = ['admin', 'toggle', 'delme', 'flood', 'floodcold', 'floodtimed', 'conc', 'oob', 'ttl0', 'ttl', 'custom', 'thrower', 'sync', 'mutate', 'twice'];
  return {
    users: NAMES.map((n) => ({ email: email(n), first_name: n })),
    organizations: [
      {
        name: 'Acme',
        memberships: [
          // The bulk user's Acme membership is its oldest, so it is on the last page.
          { user: email('bulk'), role: 'admin' },
          ...activeAdmins.map((n) => ({ user: email(n), role: 'admin' })),
          { user: email('owner'), role: 'owner' },
          { user: email('member'), role: 'member' },
          { user: email('multi'), roles: ['member', 'owner'] },
          { user: email('inactive'), role: 'admin', status: 'inactive' },
          { user: email('pending'), role: 'admin', status: 'pending' },
          { user: email('roleup'), role: 'member' },
        ],
      },
      { name: 'Basic', memberships: [{ user: email('admin'), role: 'admin' }] },
      { name: 'Other', memberships: [{ user: email('outsider'), role: 'owner' }] },
      { name: 'Renamable', memberships: [{ user: email('renamer'), role: 'admin' }] },
      { name: 'Doomed', memberships: [{ user: email('doomed'), role: 'admin' }] },
      ...Array.from({ length: BULK }, (_, i) => ({ name: `Bulk ${i}`, memberships: [{ user: email('bulk'), role: 'member' }] })),
    ],
    featureFlags: [
      { slug: ACME_FLAG, name: 'Advanced analytics', organizations: ['Acme', 'Renamable'] },
      { slug: 'beta', organizations: ['Basic'] },
    ],
  };
}

const isMembershipList = (r) => r.method === 'GET' && r.path === '/user_management/organization_memberships';
const userOf = (r) => new URLSearchParams(r.query).get('user_id');

// ---------------------------------------------------------------------------------------

for (const [label, express] of [
  ['Express 4', express4],
  ['Express 5', express5],
]) {
  describe(`guards in ${label}`, () => {
    let emu;
    let overlay;
    let workos; // the client the guards are made on
    let other; // a second client: its writes are not seen by the guards' caches
    let agent;
    const servers = new Set();
    let U; // user ids by name
    let O; // organization ids by name

    before(async () => {
      emu = await startEmulator({ seed: seed() });
      overlay = await startOverlay(emu);
      const target = { apiHostname: overlay.hostname, port: overlay.port, https: false, maxRetries: 0 };
      workos = new WorkOS(emu.apiKey, { ...target });
      other = new WorkOS(emu.apiKey, { ...target });
      agent = new http.Agent({ keepAlive: true });
      U = Object.fromEntries(NAMES.map((n) => [n, emu.ids.users[email(n)]]));
      O = emu.ids.organizations;
    });
    afterEach(() => closeAll(servers));
    after(async () => {
      await closeAll(servers);
      agent?.destroy();
      await overlay?.close();
      await emu?.close();
    });

    /** A fresh guards instance (cold caches) in a fresh app. */
    async function fresh(options, appOptions) {
      const guards = createGuards(workos, options);
      const counter = { hits: 0 };
      const base = await listen(guardedApp(express, guards, counter, appOptions), servers);
      const call = (path, headers) => get(agent, base, path, headers);
      return { guards, counter, base, call };
    }

    /** Overlay requests recorded while `fn` runs. */
    async function recorded(fn) {
      const mark = overlay.requests.length;
      const out = await fn();
      return { out, requests: overlay.requests.slice(mark) };
    }
    const membershipCalls = (requests, user) => requests.filter((r) => isMembershipList(r) && (user === undefined || userOf(r) === user)).length;
    const orgCalls = (requests, org) => requests.filter((r) => r.method === 'GET' && r.path === `/organizations/${org}`).length;
    const flagCalls = (requests, org) => requests.filter((r) => r.method === 'GET' && r.path === `/organizations/${org}/feature-flags`).length;

    /** The id of `user`'s membership in `org`, from the API. */
    async function membershipId(user, org) {
      const list = await other.userManagement.listOrganizationMemberships({ userId: user, organizationId: org });
      assert.equal(list.data.length, 1);
      return list.data[0].id;
    }

    describe('decisions', () => {
      test('an admin passes all four guards; the handler sees req.membership (roleSlug, active) and req.organization', async () => {
        const { call, counter } = await fresh();
        const r = await call('/full', as(U.admin, O.Acme));
        assert.equal(r.status, 200, r.text);
        assert.equal(counter.hits, 1);
        const { membership, organization } = r.body;
        assert.equal(membership.object, 'organization_membership');
        assert.match(membership.id, /^om_/);
        assert.equal(membership.userId, U.admin);
        assert.equal(membership.organizationId, O.Acme);
        assert.equal(membership.status, 'active');
        assert.deepEqual(membership.role, { slug: 'admin' });
        assert.equal(r.body.roleSlug, 'admin', 'req.membership.roleSlug aliases role.slug');
        assert.ok(!r.body.membershipKeys.includes('roleSlug'), 'roleSlug is not enumerable');
        assert.ok(!('roleSlug' in membership), 'roleSlug is not serialized');
        assert.equal(organization.object, 'organization');
        assert.equal(organization.id, O.Acme);
        assert.equal(organization.name, 'Acme');

        // The warm answer (from the caches) is the same.
        const again = await call('/full', as(U.admin, O.Acme));
        assert.equal(again.status, 200);
        assert.deepEqual(again.body, r.body);
        assert.equal(counter.hits, 2);
      });

      test("the request's own keys end with membership and organization; no symbol of the guards is left; dictionary mode on V8 before 13 only", async () => {
        const { call, counter } = await fresh();
        for (const round of ['cold', 'warm']) {
          const r = await call('/shape', as(U.admin, O.Acme));
          assert.equal(r.status, 200, r.text);
          assert.deepEqual(r.body.tail, ['membership', 'organization'], round);
          assert.deepEqual(r.body.newSymbols, [], round);
          assert.equal(r.body.fast, FAST_AFTER_GUARDS, `${round}: V8 ${process.versions.v8}`);
        }
        assert.equal(counter.hits, 2);
      });

      test('req.membership and req.organization match what the API returns for them', async () => {
        const { call } = await fresh();
        const r = await call('/org', as(U.admin, O.Acme));
        assert.equal(r.status, 200);
        const listed = await other.userManagement.listOrganizationMemberships({ userId: U.admin, organizationId: O.Acme });
        assert.deepEqual(r.body.membership, JSON.parse(JSON.stringify(listed.data[0])));
        assert.deepEqual(r.body.organization, JSON.parse(JSON.stringify(await other.organizations.getOrganization(O.Acme))));
      });

      test('the owner passes requireRole(admin, owner); a member is refused with the role list', async () => {
        const { call, counter } = await fresh();
        const owner = await call('/admin', as(U.owner, O.Acme));
        assert.equal(owner.status, 200);
        assert.equal(owner.body.roleSlug, 'owner');
        const member = await call('/admin', as(U.member, O.Acme));
        assert.equal(member.status, 403);
        assert.deepEqual(member.body, { error: 'Requires one of: admin, owner' });
        assert.equal(counter.hits, 1);
        // The member is still let through requireOrganization alone.
        const org = await call('/org', as(U.member, O.Acme));
        assert.equal(org.status, 200);
        assert.equal(org.body.roleSlug, 'member');
      });

      test('warm requireRole: the same answers from the decision, for gates made before and after it, and for a req.membership the app replaced', async () => {
        const { guards, call, base } = await fresh();
        // Cold, then warm: the warm ones are decided from the cached decision's roles.
        for (let i = 0; i < 3; i++) {
          assert.equal((await call('/admin', as(U.owner, O.Acme))).status, 200);
          const member = await call('/admin', as(U.member, O.Acme));
          assert.equal(member.status, 403);
          assert.deepEqual(member.body, { error: 'Requires one of: admin, owner' });
        }
        // Gates made after those decisions were cached, on a second app of the same guards.
        const app = express();
        app.use(fakeAuth);
        const ok = (req, res) => res.json({ ok: true });
        app.get('/member', guards.requireOrganization, guards.requireRole('member'), ok);
        app.get('/owner', guards.requireOrganization, guards.requireRole(['owner']), ok);
        // The app swaps in a membership of its own: that one is read, not the decision's.
        app.get(
          '/swapped',
          guards.requireOrganization,
          (req, res, next) => {
            req.membership = { ...req.membership, role: { slug: 'member' }, status: 'active' };
            next();
          },
          guards.requireRole('owner'),
          ok,
        );
        const later = await listen(app, servers);
        const at = (path, user) => get(agent, later, path, as(user, O.Acme));
        for (let i = 0; i < 2; i++) {
          assert.equal((await at('/member', U.member)).status, 200);
          assert.deepEqual((await at('/member', U.owner)).body, { error: 'Requires one of: member' });
          assert.equal((await at('/owner', U.owner)).status, 200);
          assert.deepEqual((await at('/owner', U.member)).body, { error: 'Requires one of: owner' });
          assert.deepEqual((await at('/swapped', U.owner)).body, { error: 'Requires one of: owner' });
        }
        // The first app's gate still answers as before.
        assert.equal((await get(agent, base, '/admin', as(U.owner, O.Acme))).status, 200);
      });

      test('a decision forgotten between requireOrganization and requireRole (an invalidation in between) is still answered right', async () => {
        const { guards } = await fresh();
        const run = runMiddleware;
        const requireAdminOrOwner = guards.requireRole('admin', 'owner');
        for (const [user, allowed] of [
          [U.owner, true],
          [U.member, false],
        ]) {
          const request = () => ({ user: { id: user }, headers: { 'x-organization-id': O.Acme } });
          assert.equal((await run(guards.requireOrganization, request())).next, true); // cold
          for (let i = 0; i < 2; i++) {
            const req = request();
            assert.equal((await run(guards.requireOrganization, req)).next, true); // warm
            guards.invalidate({ userId: 'user_nobody' }); // empties the caches' front
            const r = await run(requireAdminOrOwner, req);
            if (allowed) assert.deepEqual(r, { sync: true, next: true, err: undefined });
            else assert.deepEqual(r, { sync: true, denied: { status: 403, body: { error: 'Requires one of: admin, owner' } } });
          }
        }
      });

      test('requireRole judges each request by its own membership when requests interleave between the guards', async (t) => {
        const { guards } = await fresh();
        const requireOwner = guards.requireRole('owner');
        const request = (user) => ({ user: { id: user }, headers: { 'x-organization-id': O.Acme } });
        const spy = spyEngine(t);
        for (let round = 0; round < 3; round++) {
          // The owner's request, then the member's, pass requireOrganization (cold, then warm);
          // requireRole then runs on the owner's first, then on the member's, and the other way round.
          const owner = request(U.owner);
          const member = request(U.member);
          assert.equal((await runMiddleware(guards.requireOrganization, owner)).next, true);
          assert.equal((await runMiddleware(guards.requireOrganization, member)).next, true);
          const [first, second] = round % 2 === 0 ? [owner, member] : [member, owner];
          spy.reset();
          for (const req of [first, second, first]) {
            const r = await runMiddleware(requireOwner, req);
            if (req === owner) assert.deepEqual(r, { sync: true, next: true, err: undefined }, `round ${round}: the owner`);
            else assert.deepEqual(r.denied, { status: 403, body: { error: 'Requires one of: owner' } }, `round ${round}: the member`);
          }
          if (round > 0) assert.equal(spy.calls().role, undefined, 'recognised by their decisions, not read again');
        }
        // More requests in between than requireRole keeps track of (64): the oldest are read
        // again, and every one is still judged by its own membership.
        const many = Array.from({ length: 150 }, (_, i) => request(i % 3 === 0 ? U.owner : U.member));
        for (const req of many) assert.equal((await runMiddleware(guards.requireOrganization, req)).next, true);
        spy.reset();
        for (const [i, req] of many.entries()) {
          const r = await runMiddleware(requireOwner, req);
          if (i % 3 === 0) assert.equal(r.next, true, `request ${i}, the owner's`);
          else assert.equal(r.denied?.status, 403, `request ${i}, the member's`);
        }
        assert.equal(spy.calls().role, 150 - 64, 'the 64 latest are recognised');
      });

      test('a role held in membership.roles[] counts', async () => {
        const { call } = await fresh();
        const r = await call('/admin', as(U.multi, O.Acme));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.membership.role.slug, 'member');
        assert.deepEqual(r.body.membership.roles.map((x) => x.slug), ['member', 'owner']);
      });

      test('missing organization header: 400 (before the user is looked at), handler not reached', async () => {
        const { call, counter } = await fresh();
        for (const headers of [as(U.admin), { ...as(U.admin), 'x-organization-id': '' }]) {
          for (const path of ['/org', '/admin', '/analytics', '/full']) {
            const r = await call(path, headers);
            assert.equal(r.status, 400, path);
            assert.deepEqual(r.body, { error: 'Missing organization context' });
          }
        }
        // requireOrganization alone (no requireAuth in front): no header wins over no user.
        const app = express();
        const guards = createGuards(workos);
        app.get('/o', guards.requireOrganization, (req, res) => {
          counter.hits++;
          res.json({});
        });
        const base = await listen(app, servers);
        const r = await get(agent, base, '/o', {});
        assert.equal(r.status, 400);
        assert.deepEqual(r.body, { error: 'Missing organization context' });
        assert.equal(counter.hits, 0);
      });

      test('no user: requireAuth answers 401; requireOrganization alone answers 401 too', async () => {
        const { call, counter } = await fresh();
        for (const path of ['/auth', '/org', '/admin', '/analytics', '/full']) {
          const r = await call(path, as(undefined, O.Acme));
          assert.equal(r.status, 401, path);
          assert.deepEqual(r.body, { error: 'Not authenticated' });
        }
        const ok = await call('/auth', as(U.admin));
        assert.equal(ok.status, 200);
        assert.equal(counter.hits, 1);

        const app = express();
        const guards = createGuards(workos);
        app.get('/o', guards.requireOrganization, (req, res) => {
          counter.hits++;
          res.json({});
        });
        const base = await listen(app, servers);
        const r = await get(agent, base, '/o', { 'x-organization-id': O.Acme });
        assert.equal(r.status, 401);
        assert.deepEqual(r.body, { error: 'Not authenticated' });
        assert.equal(counter.hits, 1);
      });

      test('a non-member, an unknown organization and a malformed id are all 403 Not a member', async () => {
        const { call, counter } = await fresh();
        for (const org of [O.Acme, 'org_01DOESNOTEXIST000000000000', 'not an id/../x']) {
          const r = await call('/org', as(U.outsider, org));
          assert.equal(r.status, 403, org);
          assert.deepEqual(r.body, { error: 'Not a member of this organization' });
        }
        // …and the outsider's own organization works.
        const own = await call('/org', as(U.outsider, O.Other));
        assert.equal(own.status, 200);
        assert.equal(counter.hits, 1);
      });

      test('an inactive (deactivated) membership is 403', async () => {
        const { call, counter } = await fresh();
        for (let i = 0; i < 2; i++) {
          const r = await call('/org', as(U.inactive, O.Acme));
          assert.equal(r.status, 403);
          assert.deepEqual(r.body, { error: 'Not a member of this organization' });
        }
        assert.equal(counter.hits, 0);
      });

      test('a pending membership is 403', async () => {
        const { call, counter } = await fresh();
        const listed = await other.userManagement.listOrganizationMemberships({ userId: U.pending });
        assert.equal(listed.data[0].status, 'pending', 'the seed holds a pending membership');
        for (let i = 0; i < 2; i++) {
          const r = await call('/full', as(U.pending, O.Acme));
          assert.equal(r.status, 403);
          assert.deepEqual(r.body, { error: 'Not a member of this organization' });
        }
        assert.equal(counter.hits, 0);
      });

      test('feature flag off for the organization: 403, on: 200', async () => {
        const { call, counter } = await fresh();
        for (const path of ['/analytics', '/full']) {
          const r = await call(path, as(U.admin, O.Basic));
          assert.equal(r.status, 403, path);
          assert.deepEqual(r.body, { error: FEATURE_DENIED });
        }
        assert.equal(counter.hits, 0);
        const on = await call('/analytics', as(U.admin, O.Acme));
        assert.equal(on.status, 200);
        assert.equal(counter.hits, 1);
      });

      test('requireRole without an active req.membership: 403 No organization membership', async () => {
        const { call, counter } = await fresh();
        const r = await call('/role-only', as(U.admin, O.Acme));
        assert.equal(r.status, 403);
        assert.deepEqual(r.body, { error: 'No organization membership' });

        // A membership object that is not active (set by the app itself) is refused too.
        const guards = createGuards(workos);
        const app = express();
        app.get(
          '/r',
          (req, res, next) => {
            req.membership = { status: req.headers['x-status'], role: { slug: 'admin' } };
            next();
          },
          guards.requireRole('admin'),
          (req, res) => {
            counter.hits++;
            res.json({ ok: true });
          },
        );
        const base = await listen(app, servers);
        for (const status of ['inactive', 'pending']) {
          const d = await get(agent, base, '/r', { 'x-status': status });
          assert.equal(d.status, 403, status);
          assert.deepEqual(d.body, { error: 'No organization membership' });
        }
        const ok = await get(agent, base, '/r', { 'x-status': 'active' });
        assert.equal(ok.status, 200);
        assert.equal(counter.hits, 1);
      });

      test("requireRole reads an app's req.membership by its status, role and roles only", async () => {
        const guards = createGuards(workos);
        const requireAdmin = guards.requireRole('admin');
        const judged = async (membership) => {
          const r = await runMiddleware(requireAdmin, { membership });
          return r.next ? 'pass' : r.denied.body.error;
        };
        const NO = 'No organization membership';
        const ROLE = 'Requires one of: admin';
        // Fields a decision does not need are not read: nothing in them refuses the membership.
        const odd = { status: 'active', role: { slug: 'admin' }, extra: 10n, fn() {}, [Symbol('s')]: 1, nested: { deep: new Uint8Array(2) } };
        assert.equal(await judged(odd), 'pass');
        // Read as `membership.role` reads them: a class instance's getters count.
        class Membership {
          get status() {
            return 'active';
          }
          get roles() {
            return [{ slug: 'viewer' }, { slug: 'admin' }];
          }
        }
        assert.equal(await judged(new Membership()), 'pass');
        assert.equal(await judged({ status: 'active', role: { slug: 'viewer' }, roles: [{ slug: 'owner' }] }), ROLE);
        assert.equal(await judged({ status: 'active', role: 'admin' }), ROLE, 'a role that is no object has no slug');
        for (const notOne of [undefined, null, 'admin', 7, [{ status: 'active', role: { slug: 'admin' } }], { status: 'inactive', role: { slug: 'admin' } }]) {
          assert.equal(await judged(notOne), NO, JSON.stringify(notOne));
        }
        // A field the decision reads but cannot be read refuses (never lets through).
        assert.equal(await judged({ status: 'active', role: { slug: 10n } }), NO);
      });

      test('requireFeature without req.organization refuses (400) and never reaches the handler', async () => {
        const guards = createGuards(workos);
        let hits = 0;
        const app = express();
        app.use(fakeAuth);
        app.get('/f', guards.requireFeature(ACME_FLAG), (req, res) => {
          hits++;
          res.json({});
        });
        const base = await listen(app, servers);
        const r = await get(agent, base, '/f', as(U.admin, O.Acme));
        assert.equal(r.status, 400);
        assert.deepEqual(r.body, { error: 'Missing organization context' });
        assert.equal(hits, 0);
      });

      test('a user whose membership is on the second page of their list is let in', async () => {
        const { call } = await fresh();
        const { out: r, requests } = await recorded(() => call('/org', as(U.bulk, O.Acme)));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.membership.organizationId, O.Acme);
        assert.equal(membershipCalls(requests, U.bulk), 2, 'both pages of the 121 memberships were read');
        const last = await call('/org', as(U.bulk, O['Bulk 119']));
        assert.equal(last.status, 200);
        assert.equal(last.body.roleSlug, 'member');
      });

      test('a handler mutating req.membership / req.organization does not change the next request', async () => {
        const guards = createGuards(workos);
        const app = express();
        app.use(fakeAuth);
        app.get('/m', guards.requireOrganization, (req, res) => {
          const seen = { role: req.membership.role.slug, status: req.membership.status, name: req.organization.name };
          req.membership.role.slug = 'owner';
          req.membership.status = 'hacked';
          req.organization.name = 'Hacked';
          res.json(seen);
        });
        const base = await listen(app, servers);
        for (let i = 0; i < 3; i++) {
          const r = await get(agent, base, '/m', as(U.mutate, O.Acme));
          assert.equal(r.status, 200);
          assert.deepEqual(r.body, { role: 'admin', status: 'active', name: 'Acme' }, `request ${i}`);
        }
      });

      test('a req.membership that cannot be set: the error goes to next(err), and no symbol of the guards is left on the request', async () => {
        const guards = createGuards(workos);
        const app = express();
        const symbols = noteSymbols();
        app.use(fakeAuth, symbols.middleware, (req, res, next) => {
          Object.defineProperty(req, 'membership', {
            set() {
              throw new Error('membership is read-only here');
            },
            configurable: true,
          });
          next();
        });
        app.get('/m', guards.requireOrganization, (req, res) => res.json({ handler: true }));
        app.use((err, req, res, next) => res.status(599).json({ message: err.message, ...shapeOf(req, symbols.before(req)) }));
        const base = await listen(app, servers);
        for (const round of ['cold', 'warm']) {
          const r = await get(agent, base, '/m', as(U.admin, O.Acme));
          assert.equal(r.status, 599, round);
          assert.equal(r.body.message, 'membership is read-only here', round);
          // (Express 5's router notes its own symbol on a request that met an error.)
          assert.deepEqual(r.body.newSymbols.filter((d) => d.startsWith('workos-native')), [], round);
        }
      });

      test('a warm request is decided synchronously, without leaving the JS thread', async () => {
        const guards = createGuards(workos);
        const run = runMiddleware;
        const req = () => ({ user: { id: U.sync }, headers: { 'x-organization-id': O.Acme } });
        // Cold: the decision comes later.
        const cold = req();
        const first = await run(guards.requireOrganization, cold);
        assert.equal(first.next, true);
        assert.equal(first.sync, false, 'a cold request waits for the API');
        const coldFeature = await run(guards.requireFeature(ACME_FLAG), cold);
        assert.equal(coldFeature.next, true);
        assert.equal(coldFeature.sync, false);

        // Warm: every guard calls next() before returning.
        const warm = req();
        for (const mw of [guards.requireAuth(), guards.requireOrganization, guards.requireRole('admin'), guards.requireFeature(ACME_FLAG)]) {
          const r = await run(mw, warm);
          assert.deepEqual(r, { sync: true, next: true, err: undefined });
        }
        assert.equal(warm.membership.userId, U.sync);
        assert.equal(warm.organization.id, O.Acme);
        // Warm refusals are synchronous too.
        const denied = await run(guards.requireFeature('beta'), warm);
        assert.equal(denied.sync, true);
        assert.equal(denied.denied.status, 403);
        const notMember = await run(guards.requireOrganization, { user: { id: U.sync }, headers: { 'x-organization-id': O.Other } });
        assert.equal(notMember.denied?.status, 403);
        const notMemberAgain = await run(guards.requireOrganization, { user: { id: U.sync }, headers: { 'x-organization-id': O.Other } });
        assert.equal(notMemberAgain.sync, true, 'a known non-member is refused from the cache');
        assert.equal(notMemberAgain.denied.status, 403);
      });

      // Warm answers are held in JavaScript as leases on Rust's board (lib/leases.js,
      // src/guards/board.rs): every engine method is spied on to see which requests call in.
      const ENGINE_METHODS = ['organizationNow', 'organizationNowText', 'organization', 'featureNow', 'feature', 'roleNow', 'roleVerdicts', 'role', 'authNow', 'auth'];
      function spyEngine(t) {
        const proto = require('../native.js').NativeGuards.prototype;
        for (const name of ENGINE_METHODS) t.mock.method(proto, name);
        return {
          calls: () => Object.fromEntries(ENGINE_METHODS.map((n) => [n, proto[n].mock.callCount()]).filter(([, c]) => c > 0)),
          reset: () => ENGINE_METHODS.forEach((n) => proto[n].mock.resetCalls()),
        };
      }
      async function runChain(chain, user) {
        const req = { user: { id: user }, headers: { 'x-organization-id': O.Acme } };
        const results = [];
        for (const mw of chain) results.push(await runMiddleware(mw, req));
        return { results, req, sync: results.every((r) => r.sync), passed: results.every((r) => r.next === true && r.err === undefined) };
      }

      test('a warm request makes no native call; after invalidate() or clear() the next one asks Rust again', async (t) => {
        const spy = spyEngine(t);
        const guards = createGuards(workos);
        const chain = [guards.requireAuth(), guards.requireOrganization, guards.requireRole('admin'), guards.requireFeature(ACME_FLAG)];
        const cold = await runChain(chain, U.sync);
        assert.ok(cold.passed && !cold.sync, 'cold: decided after the API answered');
        spy.reset();
        assert.ok((await runChain(chain, U.sync)).passed, 'the first warm request takes its leases from Rust');
        assert.equal(spy.calls().organizationNow, 1);
        assert.equal(spy.calls().organizationNowText, undefined, "one call: the decision's text comes with its new id");
        spy.reset();
        for (let i = 0; i < 3; i++) {
          const warm = await runChain(chain, U.sync);
          assert.ok(warm.passed && warm.sync, `warm request ${i}`);
          assert.equal(warm.req.membership.userId, U.sync);
          assert.equal(warm.req.membership.roleSlug, 'admin');
          assert.equal(warm.req.organization.id, O.Acme);
        }
        assert.deepEqual(spy.calls(), {}, 'no native call on a warm request');

        for (const [what, forget] of [
          ['invalidate({ userId })', () => guards.invalidate({ userId: U.sync })],
          ['invalidate({ organizationId })', () => guards.invalidate({ organizationId: O.Acme })],
          ['clear()', () => guards.clear()],
        ]) {
          forget();
          spy.reset();
          const after = await runChain(chain, U.sync);
          assert.ok(after.passed, what);
          assert.ok(spy.calls().organizationNow >= 1, `${what}: the held decision is asked of Rust again (${JSON.stringify(spy.calls())})`);
          assert.ok(spy.calls().organization >= 1, `${what}: and Rust, having forgotten it, asks the API`);
          assert.equal(after.sync, false, what);
          await runChain(chain, U.sync);
          spy.reset();
          assert.ok((await runChain(chain, U.sync)).sync);
          assert.deepEqual(spy.calls(), {}, `${what}: held again once Rust answered`);
        }
      });

      test("the engine hands out a decision's text only under the id it gives now", async () => {
        const { NativeGuards } = require('../native.js');
        const { nativeOf } = require('../lib/natives.js');
        const engine = new NativeGuards(nativeOf(workos), {});
        assert.equal(engine.organizationNow(U.sync, O.Acme), null, 'cold: nothing to say without the API');
        assert.equal(JSON.parse(await engine.organization(U.sync, O.Acme)).v.allow, true);
        const first = engine.organizationNow(U.sync, O.Acme);
        const [id, validForMs, text] = first;
        assert.ok(validForMs > 0 && validForMs <= 30_000, `valid for ${validForMs} ms`);
        assert.equal(JSON.parse(text).v.membership.userId, U.sync, 'the text goes out with the id the first time');
        const again = engine.organizationNow(U.sync, O.Acme);
        assert.equal(again.length, 2, 'and only then');
        assert.equal(again[0], id);
        assert.equal(engine.organizationNowText(U.sync, O.Acme, id), text);
        for (const other of [id + 1, id - 1, -1, 0]) assert.equal(engine.organizationNowText(U.sync, O.Acme, other), null, `id ${other}`);
        assert.equal(engine.organizationNowText(U.sync, O.Other, id), null, 'not for another pair');
        engine.invalidate(U.sync, undefined);
        await engine.organization(U.sync, O.Acme);
        const [renewed, , renewedText] = engine.organizationNow(U.sync, O.Acme);
        assert.notEqual(renewed, id, 'a decision made again gets a new id');
        assert.equal(renewedText, text, 'and its text goes out with it');
        assert.equal(engine.organizationNowText(U.sync, O.Acme, id), null, 'the old id no longer gets text');
        assert.notEqual(engine.organizationNowText(U.sync, O.Acme, renewed), null);
      });

      test("an id met without its text (the decoder's memory full) has its text asked for", async (t) => {
        const proto = require('../native.js').NativeGuards.prototype;
        const organizationNow = proto.organizationNow;
        t.mock.method(proto, 'organizationNow', function (...args) {
          const now = organizationNow.apply(this, args);
          return Array.isArray(now) ? now.slice(0, 2) : now;
        });
        const spy = t.mock.method(proto, 'organizationNowText');
        // No board, so no lease: every request asks organizationNow, and only the decoder's
        // memory can spare the text.
        t.mock.method(proto, 'board', () => null);
        const guards = createGuards(workos);
        const chain = [guards.requireOrganization, guards.requireRole('admin')];
        await runChain(chain, U.sync);
        const warm = await runChain(chain, U.sync);
        assert.ok(warm.passed && warm.sync);
        assert.equal(warm.req.membership.userId, U.sync);
        assert.equal(warm.req.membership.roleSlug, 'admin');
        assert.equal(spy.mock.callCount(), 1);
        const again = await runChain(chain, U.sync);
        assert.ok(again.passed && again.sync);
        assert.equal(proto.organizationNow.mock.callCount(), 3, 'each request asked Rust');
        assert.equal(spy.mock.callCount(), 1, 'the text, once decoded, is kept under its id');
      });

      test('where the runtime cannot share the board, every warm request asks Rust and invalidation still works', async (t) => {
        const spy = spyEngine(t);
        t.mock.method(require('../native.js').NativeGuards.prototype, 'board', () => null);
        const guards = createGuards(workos);
        const chain = [guards.requireOrganization, guards.requireRole('admin'), guards.requireFeature(ACME_FLAG)];
        await runChain(chain, U.sync);
        await runChain(chain, U.sync);
        spy.reset();
        const warm = await runChain(chain, U.sync);
        assert.ok(warm.passed && warm.sync);
        assert.equal(spy.calls().organizationNow, 1);
        assert.equal(spy.calls().featureNow, 1);
        guards.invalidate({ userId: U.sync });
        spy.reset();
        const after = await runChain(chain, U.sync);
        assert.ok(after.passed && !after.sync, 'asked the API again');
        assert.equal(spy.calls().organization, 1);
      });
    });

    describe('caching and API calls', () => {
      test('200 concurrent first requests for one (user, organization) make one membership call', async () => {
        const { call, counter } = await fresh();
        const { out, requests } = await recorded(() => Promise.all(Array.from({ length: 200 }, () => call('/full', as(U.conc, O.Acme)))));
        assert.deepEqual(
          out.map((r) => r.status),
          Array(200).fill(200),
        );
        assert.equal(counter.hits, 200);
        assert.equal(membershipCalls(requests, U.conc), 1, 'one membership list call');
        assert.equal(membershipCalls(requests), 1, 'no membership call for anyone else');
        assert.equal(orgCalls(requests, O.Acme), 1, 'one organization call');
        assert.equal(flagCalls(requests, O.Acme), 1, 'one feature-flag call');
      });

      test('warm requests make no API call at all', async () => {
        const { call } = await fresh();
        assert.equal((await call('/full', as(U.admin, O.Acme))).status, 200);
        assert.equal((await call('/full', as(U.owner, O.Acme))).status, 200);
        const { out, requests } = await recorded(async () => {
          const results = [];
          for (let i = 0; i < 50; i++) results.push((await call('/full', as(i % 2 ? U.admin : U.owner, O.Acme))).status);
          return results;
        });
        assert.deepEqual(out, Array(50).fill(200));
        assert.equal(requests.length, 0);
      });

      test('a flood of made-up organization ids from one (warm) user makes no API call within the negative TTL', async () => {
        const { call, counter } = await fresh();
        assert.equal((await call('/org', as(U.flood, O.Acme))).status, 200);
        const { out, requests } = await recorded(async () => {
          const statuses = [];
          for (let wave = 0; wave < 6; wave++) {
            const batch = await Promise.all(Array.from({ length: 50 }, (_, i) => call('/org', as(U.flood, `org_fake_${wave}_${i}`))));
            statuses.push(...batch.map((r) => r.status));
          }
          return statuses;
        });
        assert.deepEqual(out, Array(300).fill(403));
        assert.equal(requests.length, 0, `calls: ${requests.map((r) => r.url).join(', ')}`);
        assert.equal(counter.hits, 1);
      });

      test('a cold flood of 300 made-up organization ids makes a bounded number of calls', async () => {
        const { call, counter } = await fresh();
        const { out, requests } = await recorded(async () => {
          const statuses = [];
          for (let wave = 0; wave < 3; wave++) {
            const batch = await Promise.all(Array.from({ length: 100 }, (_, i) => call('/org', as(U.floodcold, `org_made_up_${wave}_${i}`))));
            statuses.push(...batch.map((r) => r.status));
          }
          return statuses;
        });
        assert.deepEqual(out, Array(300).fill(403));
        assert.equal(membershipCalls(requests, U.floodcold), 1, 'one membership list');
        const orgLookups = requests.filter((r) => r.path.startsWith('/organizations/org_made_up_')).length;
        assert.ok(orgLookups <= 3, `at most a few organization lookups for made-up ids, got ${orgLookups}`);
        assert.ok(requests.length <= 4, `total calls ${requests.length}`);
        assert.equal(counter.hits, 0);
      });

      test('negativeCacheTtlMs bounds refetches for unknown organizations over time', async () => {
        const NEG = 150;
        const { call } = await fresh({ negativeCacheTtlMs: NEG });
        const started = performance.now();
        const { out, requests } = await recorded(async () => {
          const statuses = [];
          let i = 0;
          while (performance.now() - started < 900) {
            const batch = await Promise.all(Array.from({ length: 10 }, () => call('/org', as(U.floodtimed, `org_timed_${i++}`))));
            statuses.push(...batch.map((r) => r.status));
          }
          return statuses;
        });
        const elapsed = performance.now() - started;
        assert.ok(out.length >= 50, `enough requests (${out.length})`);
        assert.ok(out.every((s) => s === 403));
        const lists = membershipCalls(requests, U.floodtimed);
        const bound = Math.ceil(elapsed / NEG) + 1;
        assert.ok(lists <= bound, `${lists} membership lists in ${Math.round(elapsed)} ms (bound ${bound}) for ${out.length} requests`);
        assert.ok(lists >= 2, `the membership list is asked again once the negative TTL has passed (${lists})`);
        assert.ok(requests.length <= 2 * bound, `total calls ${requests.length}`);
      });

      test('a user added out of band is let in once negativeCacheTtlMs has passed', async () => {
        const { call, counter } = await fresh({ negativeCacheTtlMs: 1500 });
        assert.equal((await call('/org', as(U.negative, O.Acme))).status, 403);
        // Added through another client: the guards learn it only by asking again.
        await other.userManagement.createOrganizationMembership({ userId: U.negative, organizationId: O.Acme, roleSlug: 'admin' });
        const soon = await call('/org', as(U.negative, O.Acme));
        assert.equal(soon.status, 403, 'within the negative TTL the cached answer stands');
        await sleep(1600);
        const later = await call('/org', as(U.negative, O.Acme));
        assert.equal(later.status, 200, later.text);
        assert.equal(later.body.roleSlug, 'admin');
        assert.equal(counter.hits, 1);
      });

      test('cacheTtlMs: 0 asks the API on every request', async () => {
        const { call, counter } = await fresh({ cacheTtlMs: 0 });
        const { out, requests } = await recorded(async () => {
          const s = [];
          for (let i = 0; i < 3; i++) s.push((await call('/full', as(U.ttl0, O.Acme))).status);
          return s;
        });
        assert.deepEqual(out, [200, 200, 200]);
        assert.equal(counter.hits, 3);
        assert.equal(membershipCalls(requests, U.ttl0), 3);
        assert.equal(orgCalls(requests, O.Acme), 3);
        assert.equal(flagCalls(requests, O.Acme), 3);
        // …and a refusal is not cached either.
        const { requests: again } = await recorded(async () => {
          assert.equal((await call('/org', as(U.ttl0, O.Other))).status, 403);
          assert.equal((await call('/org', as(U.ttl0, O.Other))).status, 403);
        });
        assert.equal(membershipCalls(again, U.ttl0), 2);
      });

      test('cacheTtlMs bounds how long an answer is kept', async () => {
        const { call } = await fresh({ cacheTtlMs: 1000 });
        const { requests } = await recorded(async () => {
          assert.equal((await call('/full', as(U.ttl, O.Acme))).status, 200);
          assert.equal((await call('/full', as(U.ttl, O.Acme))).status, 200);
        });
        assert.equal(membershipCalls(requests, U.ttl), 1);
        assert.equal(flagCalls(requests, O.Acme), 1);
        await sleep(1100);
        const { requests: later } = await recorded(async () => {
          assert.equal((await call('/full', as(U.ttl, O.Acme))).status, 200);
        });
        assert.equal(membershipCalls(later, U.ttl), 1, 'asked again after the TTL');
        assert.equal(flagCalls(later, O.Acme), 1);
      });
    });

    describe('writes through the same client', () => {
      test('deactivateOrganizationMembership takes effect on the next request, reactivate too', async () => {
        const { call, counter } = await fresh();
        // Twice: the second request is warm, and JavaScript holds its decision.
        assert.equal((await call('/full', as(U.toggle, O.Acme))).status, 200);
        assert.equal((await call('/full', as(U.toggle, O.Acme))).status, 200);
        const id = await membershipId(U.toggle, O.Acme);
        const deactivated = await workos.userManagement.deactivateOrganizationMembership(id);
        assert.equal(deactivated.status, 'inactive');
        const refused = await call('/full', as(U.toggle, O.Acme));
        assert.equal(refused.status, 403);
        assert.deepEqual(refused.body, { error: 'Not a member of this organization' });
        const reactivated = await workos.userManagement.reactivateOrganizationMembership(id);
        assert.equal(reactivated.status, 'active');
        const back = await call('/full', as(U.toggle, O.Acme));
        assert.equal(back.status, 200);
        assert.equal(back.body.membership.status, 'active');
        assert.equal(counter.hits, 3);
      });

      test('updateOrganizationMembership: a new role counts on the next request', async () => {
        const { call } = await fresh();
        assert.equal((await call('/admin', as(U.roleup, O.Acme))).status, 403);
        const id = await membershipId(U.roleup, O.Acme);
        await workos.userManagement.updateOrganizationMembership(id, { roleSlug: 'admin' });
        const r = await call('/admin', as(U.roleup, O.Acme));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.roleSlug, 'admin');
        await workos.userManagement.updateOrganizationMembership(id, { roleSlug: 'member' });
        assert.equal((await call('/admin', as(U.roleup, O.Acme))).status, 403);
      });

      test('createOrganizationMembership lets a refused user in on the next request', async () => {
        const { call } = await fresh();
        assert.equal((await call('/org', as(U.newbie, O.Acme))).status, 403);
        await workos.userManagement.createOrganizationMembership({ userId: U.newbie, organizationId: O.Acme, roleSlug: 'owner' });
        const r = await call('/admin', as(U.newbie, O.Acme));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.roleSlug, 'owner');
      });

      test('deleteOrganizationMembership shuts the user out on the next request', async () => {
        const { call } = await fresh();
        assert.equal((await call('/org', as(U.delme, O.Acme))).status, 200);
        const id = await membershipId(U.delme, O.Acme);
        await workos.userManagement.deleteOrganizationMembership(id);
        const r = await call('/org', as(U.delme, O.Acme));
        assert.equal(r.status, 403);
        assert.deepEqual(r.body, { error: 'Not a member of this organization' });
      });

      test('updateOrganization: req.organization is current on the next request', async () => {
        const { call } = await fresh();
        const first = await call('/org', as(U.renamer, O.Renamable));
        assert.equal(first.body.organization.name, 'Renamable');
        await workos.organizations.updateOrganization({ organization: O.Renamable, name: 'Renamed' });
        const r = await call('/org', as(U.renamer, O.Renamable));
        assert.equal(r.status, 200);
        assert.equal(r.body.organization.name, 'Renamed');
      });

      test('deleteOrganization: its members are refused on the next request', async () => {
        const { call } = await fresh();
        assert.equal((await call('/org', as(U.doomed, O.Doomed))).status, 200);
        await workos.organizations.deleteOrganization(O.Doomed);
        const r = await call('/org', as(U.doomed, O.Doomed));
        assert.equal(r.status, 403);
        assert.deepEqual(r.body, { error: 'Not a member of this organization' });
      });

      test('writes through another client are not seen until invalidate({ userId }), invalidate({ organizationId }) or clear()', async () => {
        const { call, guards } = await fresh();
        const path = '/org';
        const h = as(U.oob, O.Acme);
        assert.equal((await call(path, h)).status, 200);
        const id = await membershipId(U.oob, O.Acme);

        await other.userManagement.deactivateOrganizationMembership(id);
        assert.equal((await call(path, h)).status, 200, 'cached: the other client is not watched');
        guards.invalidate({ userId: U.oob });
        assert.equal((await call(path, h)).status, 403, 'invalidate({ userId })');

        await other.userManagement.reactivateOrganizationMembership(id);
        assert.equal((await call(path, h)).status, 403, 'cached refusal');
        guards.invalidate({ organizationId: O.Acme });
        assert.equal((await call(path, h)).status, 200, 'invalidate({ organizationId })');

        await other.userManagement.deactivateOrganizationMembership(id);
        assert.equal((await call(path, h)).status, 200);
        guards.clear();
        assert.equal((await call(path, h)).status, 403, 'clear()');

        await other.userManagement.reactivateOrganizationMembership(id);
        guards.invalidate({ userId: U.oob, organizationId: O.Acme });
        assert.equal((await call(path, h)).status, 200, 'invalidate({ userId, organizationId })');
        // Unrelated invalidations are harmless.
        guards.invalidate({});
        guards.invalidate();
        guards.invalidate({ userId: 'user_nobody', organizationId: 'org_nothing' });
        assert.equal((await call(path, h)).status, 200);
      });

      test('every guards instance made on the client sees its writes', async () => {
        const a = await fresh();
        const b = await fresh({ cacheTtlMs: 60_000 });
        const h = as(U.twice, O.Acme);
        assert.equal((await a.call('/org', h)).status, 200);
        assert.equal((await b.call('/org', h)).status, 200);
        const id = await membershipId(U.twice, O.Acme);
        await workos.userManagement.deactivateOrganizationMembership(id);
        assert.equal((await a.call('/org', h)).status, 403, 'first instance');
        assert.equal((await b.call('/org', h)).status, 403, 'second instance');
        await workos.userManagement.reactivateOrganizationMembership(id);
        assert.equal((await a.call('/org', h)).status, 200);
        assert.equal((await b.call('/org', h)).status, 200);
      });

      test('invalidate({ organizationId }) also forgets "not a member of it" answers', async () => {
        const { call, guards } = await fresh({ negativeCacheTtlMs: 60_000 });
        const h = as(U.joiner, O.Acme);
        assert.equal((await call('/org', h)).status, 403);
        await other.userManagement.createOrganizationMembership({ userId: U.joiner, organizationId: O.Acme, roleSlug: 'member' });
        assert.equal((await call('/org', h)).status, 403, 'cached refusal');
        guards.invalidate({ organizationId: O.Acme });
        const r = await call('/org', h);
        assert.equal(r.status, 200, 'after invalidate({ organizationId }) nothing known of the organization is used');
      });

      test('invalidate({ organizationId }) makes the organization and its flags be fetched again', async () => {
        const { call, guards } = await fresh();
        assert.equal((await call('/full', as(U.admin, O.Acme))).status, 200);
        const { requests: warm } = await recorded(() => call('/full', as(U.admin, O.Acme)));
        assert.equal(warm.length, 0);
        guards.invalidate({ organizationId: O.Acme });
        const { out, requests } = await recorded(() => call('/full', as(U.admin, O.Acme)));
        assert.equal(out.status, 200);
        assert.equal(orgCalls(requests, O.Acme), 1);
        assert.equal(flagCalls(requests, O.Acme), 1);
        guards.clear();
        const { requests: afterClear } = await recorded(() => call('/full', as(U.admin, O.Acme)));
        assert.equal(membershipCalls(afterClear, U.admin), 1);
        assert.equal(flagCalls(afterClear, O.Acme), 1);
      });
    });

    describe('options', () => {
      test('organizationHeader: a custom header (any case) replaces x-organization-id', async () => {
        const { call, counter } = await fresh({ organizationHeader: 'X-Tenant-ID' });
        const ok = await call('/org', { 'x-user-id': U.custom, 'x-tenant-id': O.Acme });
        assert.equal(ok.status, 200, ok.text);
        assert.equal(ok.body.organization.id, O.Acme);
        const old = await call('/org', as(U.custom, O.Acme));
        assert.equal(old.status, 400);
        assert.deepEqual(old.body, { error: 'Missing organization context' });
        assert.equal(counter.hits, 1);
      });

      test('resolveOrganizationId or getUserId throwing: the error goes to the Express error handler', async () => {
        const before = rejections.length;
        let hits = 0;
        for (const options of [
          {
            resolveOrganizationId: () => {
              throw new Error('resolver failed');
            },
          },
          {
            getUserId: () => {
              throw new Error('resolver failed');
            },
          },
        ]) {
          const guards = createGuards(workos, options);
          const app = express();
          app.use(fakeAuth);
          app.get('/x', guards.requireOrganization, (req, res) => {
            hits++;
            res.send('reached');
          });
          app.use((err, req, res, next) => res.status(500).send(`caught: ${err.message}`));
          const base = await listen(app, servers);
          const r = await get(agent, base, '/x', as(U.admin, O.Acme));
          assert.equal(r.status, 500, Object.keys(options)[0]);
          assert.equal(r.text, 'caught: resolver failed');
        }
        assert.equal(hits, 0);
        await settleEvents();
        assert.equal(rejections.length, before);
      });

      test('resolveOrganizationId(req) and getUserId(req)', async () => {
        const guards = createGuards(workos, {
          resolveOrganizationId: (req) => req.params.orgId,
          getUserId: (req) => req.auth?.sub,
        });
        const app = express();
        app.use((req, res, next) => {
          if (req.headers['x-sub']) req.auth = { sub: req.headers['x-sub'] };
          next();
        });
        app.get('/orgs/:orgId/admin', guards.requireAuth(), guards.requireOrganization, guards.requireRole('admin'), (req, res) => {
          res.json({ org: req.organization.id, user: req.membership.userId });
        });
        const base = await listen(app, servers);
        const ok = await get(agent, base, `/orgs/${O.Acme}/admin`, { 'x-sub': U.custom, 'x-organization-id': O.Other });
        assert.equal(ok.status, 200, ok.text);
        assert.deepEqual(ok.body, { org: O.Acme, user: U.custom });
        const other = await get(agent, base, `/orgs/${O.Other}/admin`, { 'x-sub': U.custom });
        assert.equal(other.status, 403);
        const noUser = await get(agent, base, `/orgs/${O.Acme}/admin`, { 'x-user-id': U.custom });
        assert.equal(noUser.status, 401);
      });

      test("onError: 'next' passes a GuardError to the Express error handler", async () => {
        const { call, counter } = await fresh({ onError: 'next' });
        const cases = [
          ['/org', as(U.admin), 400, 'organization_required', 'Missing organization context'],
          ['/org', as(undefined, O.Acme), 401, 'not_authenticated', 'Not authenticated'],
          ['/org', as(U.outsider, O.Acme), 403, 'not_a_member', 'Not a member of this organization'],
          ['/org', as(U.inactive, O.Acme), 403, 'not_a_member', 'Not a member of this organization'],
          ['/admin', as(U.member, O.Acme), 403, 'insufficient_role', 'Requires one of: admin, owner'],
          ['/role-only', as(U.admin, O.Acme), 403, 'no_membership', 'No organization membership'],
          ['/analytics', as(U.admin, O.Basic), 403, 'feature_disabled', FEATURE_DENIED],
        ];
        for (const [path, headers, status, code, error] of cases) {
          const r = await call(path, headers);
          assert.equal(r.status, 599, `${path} ${code}: the error handler answered`);
          assert.deepEqual(
            r.body,
            { caught: true, isGuardError: true, name: 'GuardError', message: error, status, statusCode: status, code, expose: true, body: { error }, hasCause: false },
            `${path} ${code}`,
          );
        }
        assert.equal(counter.hits, 0);
        assert.ok(counter.errors.every((e) => e instanceof Error));
      });

      test("onError: 'next' without an error handler: Express answers with the GuardError's status", async () => {
        const { call, counter } = await fresh({ onError: 'next' }, { errorHandler: false });
        assert.equal((await call('/org', as(U.outsider, O.Acme))).status, 403);
        assert.equal((await call('/org', as(U.admin))).status, 400);
        assert.equal((await call('/auth', {})).status, 401);
        assert.equal(counter.hits, 0);
      });

      test('onError: a function (err, req, res, next) answers instead', async () => {
        const seen = [];
        const { call, counter } = await fresh({
          onError(err, req, res, next) {
            seen.push(err);
            res.status(err.status).json({ custom: err.code, path: req.path, hasNext: typeof next === 'function' });
          },
        });
        const r = await call('/admin', as(U.member, O.Acme));
        assert.equal(r.status, 403);
        assert.deepEqual(r.body, { custom: 'insufficient_role', path: '/admin', hasNext: true });
        assert.ok(seen[0] instanceof GuardError);
        const passes = await call('/full', as(U.admin, O.Acme));
        assert.equal(passes.status, 200);
        assert.equal(seen.length, 1, 'onError is not called for allowed requests');
        assert.equal(counter.hits, 1);
      });
    });

    describe('errors in the app', () => {
      test('a handler that throws after a cold and a warm decision reaches the error handler; no unhandledRejection', async () => {
        const before = rejections.length;
        const guards = createGuards(workos);
        const app = express();
        app.use(fakeAuth);
        app.get('/boom', guards.requireOrganization, guards.requireFeature(ACME_FLAG), () => {
          throw new Error('handler failed');
        });
        app.use((err, req, res, next) => res.status(500).json({ caught: err.message }));
        const base = await listen(app, servers);
        for (let i = 0; i < 3; i++) {
          const r = await get(agent, base, '/boom', as(U.thrower, O.Acme));
          assert.equal(r.status, 500);
          assert.deepEqual(r.body, { caught: 'handler failed' });
        }
        await settleEvents();
        assert.equal(rejections.length, before);
      });

      test('res.json failing in a refusal (cold and warm) reaches the error handler; no unhandledRejection', async () => {
        const before = rejections.length;
        const guards = createGuards(workos);
        const app = express();
        app.use(fakeAuth);
        app.use((req, res, next) => {
          res.json = () => {
            throw new Error('json broke');
          };
          next();
        });
        app.get('/x', guards.requireOrganization, guards.requireFeature('beta'), (req, res) => res.send('reached'));
        app.use((err, req, res, next) => res.status(500).send(`caught: ${err.message}`));
        const base = await listen(app, servers);
        for (const [user, org] of [
          [U.outsider, O.Acme], // cold refusal from requireOrganization
          [U.outsider, O.Acme], // warm
          [U.admin, O.Acme], // cold refusal from requireFeature
          [U.admin, O.Acme], // warm
        ]) {
          const r = await get(agent, base, '/x', as(user, org));
          assert.equal(r.status, 500);
          assert.equal(r.text, 'caught: json broke');
        }
        await settleEvents();
        assert.equal(rejections.length, before);
      });

      for (const [kind, onError] of [
        [
          'an onError function that throws',
          () => {
            throw new Error('onError failed');
          },
        ],
        [
          'an async onError function that rejects',
          async () => {
            throw new Error('onError failed');
          },
        ],
      ]) {
        test(`${kind}: the error reaches the Express error handler (cold and warm); no unhandledRejection`, async () => {
          const before = rejections.length;
          const guards = createGuards(workos, { onError });
          const app = express();
          app.use(fakeAuth);
          app.get('/x', guards.requireOrganization, (req, res) => res.send('reached'));
          app.use((err, req, res, next) => res.status(500).send(`caught: ${err.message}`));
          const base = await listen(app, servers);
          const results = [];
          for (let i = 0; i < 2; i++) {
            // Bounded: a request left unanswered is reported as such.
            results.push(await Promise.race([get(agent, base, '/x', as(U.outsider, O.Acme)), sleep(1500).then(() => ({ text: 'no answer' }))]));
          }
          await settleEvents();
          const seen = rejections.splice(before).map(String);
          assert.deepEqual(seen, [], 'no unhandledRejection');
          assert.deepEqual(
            results.map((r) => r.text),
            ['caught: onError failed', 'caught: onError failed'],
          );
        });
      }

      if (label === 'Express 5') {
        test('an async handler rejecting after the guards: 500 from Express, no unhandledRejection', async () => {
          const before = rejections.length;
          const guards = createGuards(workos);
          const app = express();
          app.use(fakeAuth);
          app.get('/x', guards.requireOrganization, guards.requireRole('admin'), async () => {
            await sleep(1);
            throw new Error('async failure');
          });
          app.use((err, req, res, next) => res.status(500).send(err.message));
          const base = await listen(app, servers);
          for (let i = 0; i < 2; i++) {
            const r = await get(agent, base, '/x', as(U.thrower, O.Acme));
            assert.equal(r.status, 500);
            assert.equal(r.text, 'async failure');
          }
          await settleEvents();
          assert.equal(rejections.length, before);
        });
      }
    });

    describe('argument checks', () => {
      test('createGuards throws TypeError on a bad client or bad options', () => {
        const bad = [
          [undefined],
          [null],
          [{}],
          [officialClient(overlay)],
          [workos, null],
          [workos, 'options'],
          [workos, { organizationHeader: '' }],
          [workos, { organizationHeader: 5 }],
          [workos, { resolveOrganizationId: 'x-org' }],
          [workos, { getUserId: 'user.id' }],
          [workos, { onError: 'throw' }],
          [workos, { onError: 42 }],
          [workos, { cacheTtlMs: -1 }],
          [workos, { negativeCacheTtlMs: -5 }],
          [workos, { maxEntries: 0 }],
        ];
        for (const args of bad) {
          const shown = args.map((a, i) => (a === workos ? 'workos' : i === 0 && a instanceof Object && a.constructor?.name !== 'Object' ? `<${a.constructor.name}>` : JSON.stringify(a) ?? String(a)));
          assert.throws(() => createGuards(...args), TypeError, `createGuards(${shown.join(', ')})`);
        }
        // Good ones do not throw.
        for (const options of [undefined, {}, { cacheTtlMs: 0 }, { negativeCacheTtlMs: 0 }, { onError: 'next' }, { organizationHeader: 'X-Org' }, { maxEntries: 1 }]) {
          const g = createGuards(workos, options);
          assert.equal(typeof g.requireOrganization, 'function');
        }
      });

      test('a cacheTtlMs beyond what the cache supports is a TypeError, not a panic', () => {
        for (const cacheTtlMs of [1e15, 1e300]) {
          assert.throws(() => createGuards(workos, { cacheTtlMs }), TypeError, `cacheTtlMs: ${cacheTtlMs}`);
        }
      });

      test('the TypeError for a non-finite number does not say "must be a number, got number"', () => {
        for (const options of [{ cacheTtlMs: Infinity }, { negativeCacheTtlMs: NaN }, { maxEntries: Infinity }]) {
          assert.throws(
            () => createGuards(workos, options),
            (e) => e instanceof TypeError && !/must be a number, got number/.test(e.message),
            String(Object.entries(options)[0]),
          );
        }
      });

      test('createGuards accepts the function options: resolveOrganizationId, getUserId, onError', () => {
        const fn = () => {};
        for (const options of [{ resolveOrganizationId: fn }, { getUserId: fn }, { onError: fn }, { onError: async () => {} }]) {
          const name = Object.keys(options)[0];
          let g;
          assert.doesNotThrow(() => {
            g = createGuards(workos, options);
          }, `createGuards(workos, { ${name}: function })`);
          assert.equal(typeof g.requireOrganization, 'function');
        }
      });

      test('requireRole and requireFeature throw TypeError on bad arguments', () => {
        const g = createGuards(workos);
        for (const args of [[], [''], [5], [null], ['admin', 7], [[]], [{ slug: 'admin' }]]) {
          assert.throws(() => g.requireRole(...args), TypeError, `requireRole(${JSON.stringify(args).slice(1, -1)})`);
        }
        for (const args of [[], [''], [5], [null], [['advanced_analytics']]]) {
          assert.throws(() => g.requireFeature(...args), TypeError, `requireFeature(${JSON.stringify(args).slice(1, -1)})`);
        }
        assert.equal(typeof g.requireRole('admin'), 'function');
        assert.equal(typeof g.requireRole(['admin', 'owner']), 'function');
        assert.equal(typeof g.requireFeature('x'), 'function');
        assert.equal(g.requireOrganization.length, 3, 'requireOrganization is (req, res, next) middleware');
      });
    });
  });

  // -------------------------------------------------------------------------------------
  // WorkOS failing, on the mock

  describe(`guards in ${label} when WorkOS fails (mock)`, () => {
    let mock;
    let agent;
    const servers = new Set();
    const ORG = 'org_mock';
    const wireMembership = (user, org, status = 'active', role = 'admin') => ({
      object: 'organization_membership',
      id: `om_${user}_${org}`,
      user_id: user,
      organization_id: org,
      organization_name: 'Mock Org',
      status,
      role: { slug: role },
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    let memberships;

    before(async () => {
      mock = await startMock();
      agent = new http.Agent({ keepAlive: true });
    });
    afterEach(() => closeAll(servers));
    after(async () => {
      await closeAll(servers);
      agent?.destroy();
      await mock?.close();
    });

    /** Routes for a healthy WorkOS: user_ok is an active admin of org_mock, which has the flag. */
    function healthy() {
      mock.reset();
      memberships = [wireMembership('user_ok', ORG), wireMembership('user_other', ORG)];
      mock.list('/user_management/organization_memberships', () => memberships, {
        filter: (m, req) => {
          const q = new URLSearchParams(req.query);
          return (!q.get('user_id') || m.user_id === q.get('user_id')) && (!q.get('organization_id') || m.organization_id === q.get('organization_id'));
        },
      });
      mock.route('GET', `/organizations/${ORG}`, { json: { object: 'organization', id: ORG, name: 'Mock Org', domains: [], created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' } });
      mock.list(`/organizations/${ORG}/feature-flags`, [
        { object: 'feature_flag', id: 'ff_1', slug: ACME_FLAG, name: 'A', enabled: true, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' },
        { object: 'feature_flag', id: 'ff_2', slug: 'disabled_one', name: 'D', enabled: false, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' },
      ]);
    }

    async function fresh(options, clientOptions) {
      healthy();
      const workos = new WorkOS(mock.apiKey, { apiHostname: mock.hostname, port: mock.port, https: false, maxRetries: 0, timeout: 500, ...clientOptions });
      const guards = createGuards(workos, options);
      const counter = { hits: 0 };
      const base = await listen(guardedApp(express, guards, counter), servers);
      return { workos, guards, counter, call: (path, headers) => get(agent, base, path, headers) };
    }

    const FAULTS = {
      500: { status: 500, json: { message: 'Internal error' } },
      timeout: { delayMs: 1500, json: { object: 'list', data: [], list_metadata: {} } },
      'connection reset': { reset: true },
    };
    const ENDPOINTS = {
      memberships: ['/user_management/organization_memberships', 'Failed to verify organization access'],
      organization: [`/organizations/${ORG}`, 'Failed to verify organization access'],
      'feature flags': [`/organizations/${ORG}/feature-flags`, 'Failed to verify feature access'],
    };

    for (const [fault, response] of Object.entries(FAULTS)) {
      for (const [endpoint, [path, error]] of Object.entries(ENDPOINTS)) {
        test(`${endpoint} ${fault}: 500 ${error}, handler never reached, nothing cached`, async () => {
          const { call, counter } = await fresh();
          mock.enqueue('GET', path, response);
          const r = await call('/full', as('user_ok', ORG));
          assert.equal(r.status, 500, r.text);
          assert.deepEqual(r.body, { error });
          assert.equal(counter.hits, 0);
          // The failure is not remembered: WorkOS answering again lets the request in.
          const again = await call('/full', as('user_ok', ORG));
          assert.equal(again.status, 200, again.text);
          assert.equal(counter.hits, 1);
        });
      }
    }

    test('concurrent requests during a failure all get 500 from one shared call', async () => {
      // The failure comes slowly, so that every request is in flight before it does.
      const { call, counter } = await fresh(undefined, { timeout: 5000 });
      mock.enqueue('GET', '/user_management/organization_memberships', { delayMs: 1500, status: 500, json: { message: 'down' } });
      const mark = mock.requests.length;
      const out = await Promise.all(Array.from({ length: 30 }, () => call('/org', as('user_ok', ORG))));
      assert.deepEqual(
        out.map((r) => r.status),
        Array(30).fill(500),
      );
      assert.equal(mock.requests.slice(mark).filter(isMembershipList).length, 1);
      assert.equal(counter.hits, 0);
    });

    test("onError: 'next' gets a GuardError 500 upstream_unavailable with the cause", async () => {
      const { call, counter } = await fresh({ onError: 'next' });
      mock.enqueue('GET', '/user_management/organization_memberships', { status: 500, json: { message: 'Internal error' } });
      const r = await call('/org', as('user_ok', ORG));
      assert.equal(r.status, 599);
      assert.deepEqual(r.body, {
        caught: true,
        isGuardError: true,
        name: 'GuardError',
        message: 'Failed to verify organization access',
        status: 500,
        statusCode: 500,
        code: 'upstream_unavailable',
        expose: false,
        body: { error: 'Failed to verify organization access' },
        hasCause: true,
      });
      const cause = counter.errors[0].cause;
      assert.equal(cause.status, 500);
      mock.enqueue('GET', `/organizations/${ORG}/feature-flags`, { reset: true });
      const f = await call('/analytics', as('user_ok', ORG));
      assert.equal(f.status, 599);
      assert.equal(f.body.code, 'upstream_unavailable');
      assert.equal(f.body.message, 'Failed to verify feature access');
      assert.equal(counter.hits, 0);
    });

    test('a made-up organization id for a known user answers 403 whether its lookup 404s or fails', async () => {
      // Cold (the organization is looked up alongside the user's memberships), then warm.
      for (const org of ['org_unknown', 'org_broken']) {
        const { call } = await fresh();
        mock.route('GET', '/organizations/org_unknown', { status: 404, json: { message: 'Not found' } });
        mock.route('GET', '/organizations/org_broken', { status: 500, json: { message: 'Internal error' } });
        for (let i = 0; i < 2; i++) {
          const r = await call('/org', as('user_ok', org));
          assert.equal(r.status, 403, `${org} #${i}`);
          assert.deepEqual(r.body, { error: 'Not a member of this organization' });
        }
      }
    });

    test('a membership in an organization that 404s is refused as not a member', async () => {
      const { call, counter } = await fresh();
      memberships.push(wireMembership('user_ghost', 'org_gone'));
      mock.route('GET', '/organizations/org_gone', { status: 404, json: { message: 'Not found' } });
      const r = await call('/org', as('user_ghost', 'org_gone'));
      assert.equal(r.status, 403);
      assert.deepEqual(r.body, { error: 'Not a member of this organization' });
      assert.equal(counter.hits, 0);
    });

    test('an inactive membership next to an active one for the same organization: the active one wins', async () => {
      const { call } = await fresh();
      memberships.push({ ...wireMembership('user_dup', ORG, 'inactive', 'member'), id: 'om_dup_old' }, wireMembership('user_dup', ORG, 'active', 'owner'));
      const r = await call('/admin', as('user_dup', ORG));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.membership.status, 'active');
      assert.equal(r.body.roleSlug, 'owner');
    });

    test('a deactivation through the client while a membership load is in flight takes effect on the next request', async () => {
      const { call, workos, counter } = await fresh(undefined, { timeout: 5000 });
      // The first request's membership list is slow; it was read before the deactivation.
      const snapshot = JSON.parse(JSON.stringify(memberships));
      mock.enqueue('GET', '/user_management/organization_memberships', () => ({ delayMs: 500, json: { object: 'list', data: snapshot.filter((m) => m.user_id === 'user_ok'), list_metadata: { before: null, after: null } } }));
      mock.route('PUT', `/user_management/organization_memberships/om_user_ok_${ORG}/deactivate`, () => {
        memberships[0] = { ...memberships[0], status: 'inactive' };
        return { json: memberships[0] };
      });
      const first = call('/org', as('user_ok', ORG));
      await sleep(100);
      const deactivated = await workos.userManagement.deactivateOrganizationMembership(`om_user_ok_${ORG}`);
      assert.equal(deactivated.status, 'inactive');
      // The request that was already under way may still be let in…
      assert.equal((await first).status, 200);
      // …but the next one, made after the deactivation returned, must not be.
      const next = await call('/org', as('user_ok', ORG));
      assert.equal(next.status, 403, 'a load started before the write must not refill the cache with the old membership');
      assert.equal(counter.hits, 1);
    });

    test('an updateOrganization through the client while the organization load is in flight shows on the next request', async () => {
      const { call, workos } = await fresh(undefined, { timeout: 5000 });
      const organization = (name) => ({ object: 'organization', id: ORG, name, domains: [], created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });
      mock.enqueue('GET', `/organizations/${ORG}`, { delayMs: 500, json: organization('Old Name') });
      mock.route('PUT', `/organizations/${ORG}`, { json: organization('New Name') });
      mock.route('GET', `/organizations/${ORG}`, { json: organization('New Name') });
      const first = call('/org', as('user_ok', ORG));
      await sleep(100);
      const updated = await workos.organizations.updateOrganization({ organization: ORG, name: 'New Name' });
      assert.equal(updated.name, 'New Name');
      assert.equal((await first).body.organization.name, 'Old Name');
      const next = await call('/org', as('user_ok', ORG));
      assert.equal(next.body.organization.name, 'New Name', 'a load started before the write must not refill the cache with the old organization');
    });
  });
}
