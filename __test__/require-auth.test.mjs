// createGuards(workos).requireAuth() with the sealed session cookie, in real Express 4 and
// Express 5 apps: the cookie authenticates the request (req.user, req.session), an expired access
// token is refreshed once and the new cookie set, and without a valid cookie only a req.user the
// app set itself passes. Token defects run against the mock (tokens signed in
// helpers/tokens.mjs); the seed's organization switcher (/work/shared/seed/
// organization-management.txt, "Organization Switcher" and "Switch Active Organization") runs
// end to end on WorkOS's emulator.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import express4 from 'express4';
import express5 from 'express5';
import { startEmulator } from './helpers/emulator.mjs';
import { closeAll, listen as listenOn } from './helpers/app-servers.mjs';
import { startMock } from './helpers/mock-server.mjs';
import { officialClient } from './helpers/official.mjs';
import { FAST_AFTER_GUARDS, noteSymbols, shapeOf } from './helpers/request-shape.mjs';
import { COOKIE_PASSWORD, OTHER_PASSWORD, accessToken, badSignature, decodeJwt, jwks, nowSeconds, seal, sealParts, joinSeal, signingKey, unseal } from './helpers/tokens.mjs';

const require = createRequire(import.meta.url);
const { WorkOS, createGuards } = require('../index.js');

const PW = COOKIE_PASSWORD;
const CLIENT_ID = 'client_test';
const KEY = signingKey('kid_guard');
const STRANGER_KEY = signingKey('kid_stranger');
const NOT_AUTHENTICATED = { error: 'Not authenticated' };
const EXPRESSES = [
  ['Express 4', express4],
  ['Express 5', express5],
];

// Unhandled rejections fail the file (Express 4 does not catch async middleware).
const rejections = [];
const onRejection = (reason) => rejections.push(reason);
process.on('unhandledRejection', onRejection);
after(() => {
  process.off('unhandledRejection', onRejection);
  assert.deepStrictEqual(rejections, []);
});

// ---------------------------------------------------------------------------------------
// Servers and requests

const servers = new Set();
const listen = (app) => listenOn(app, servers);
const closeServers = () => closeAll(servers);

/** `{ status, body, setCookies }` of a request to `url` with `cookie` (a Cookie header value). */
async function call(url, { method = 'GET', cookie, headers = {}, json } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
    body: json ? JSON.stringify(json) : undefined,
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, setCookies: res.headers.getSetCookie() };
}

/** The value and attributes of the Set-Cookie for `name` (exactly one expected). */
function setCookie(setCookies, name) {
  const mine = setCookies.filter((c) => c.startsWith(`${name}=`));
  assert.equal(mine.length, 1, `one Set-Cookie for ${name}: ${JSON.stringify(setCookies)}`);
  const [pair, ...attrs] = mine[0].split(';').map((s) => s.trim());
  return { value: decodeURIComponent(pair.slice(name.length + 1)), attributes: attrs };
}

/** Temporarily sets (or removes, with undefined) WORKOS_COOKIE_PASSWORD. */
function envPassword(value) {
  const saved = process.env.WORKOS_COOKIE_PASSWORD;
  if (value === undefined) delete process.env.WORKOS_COOKIE_PASSWORD;
  else process.env.WORKOS_COOKIE_PASSWORD = value;
  return () => {
    if (saved === undefined) delete process.env.WORKOS_COOKIE_PASSWORD;
    else process.env.WORKOS_COOKIE_PASSWORD = saved;
  };
}

// ---------------------------------------------------------------------------------------
// requireAuth against the mock

const ADA = {
  object: 'user',
  id: 'user_ada',
  email: 'ada@example.test',
  emailVerified: true,
  firstName: 'Ada',
  profilePictureUrl: null,
  lastName: 'Lovelace',
  lastSignInAt: null,
  locale: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  externalId: null,
  metadata: {},
};
const ADA_WIRE = {
  object: 'user',
  id: 'user_ada',
  email: 'ada@example.test',
  email_verified: true,
  first_name: 'Ada',
  profile_picture_url: null,
  last_name: 'Lovelace (refreshed)',
  last_sign_in_at: '2026-02-02T00:00:00.000Z',
  locale: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-02-02T00:00:00.000Z',
};
const CLAIMS = { sub: 'user_ada', sid: 'session_1', org_id: 'org_1', role: 'admin', roles: ['admin'], permissions: ['widgets:write'], feature_flags: ['beta'] };
const token = (claims = {}, key = KEY) => accessToken(key, { ...CLAIMS, ...claims });
/** A cookie as the SDK seals it. */
const cookieOf = (accessTokenValue, extra = {}, password = PW) =>
  seal({ organizationId: 'org_1', user: ADA, accessToken: accessTokenValue, refreshToken: 'ref_ok', authenticationMethod: 'Password', ...extra }, password);
const expired = (claims = {}) => token({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600, ...claims });

describe('requireAuth with the session cookie (mock)', () => {
  let mock;
  let workos;
  const refreshes = () => mock.requests.filter((r) => r.path === '/user_management/authenticate');
  const jwksFetches = () => mock.requests.filter((r) => r.path === `/sso/jwks/${CLIENT_ID}`).length;

  before(async () => {
    mock = await startMock();
    mock.route('GET', `/sso/jwks/${CLIENT_ID}`, { json: jwks(KEY) });
    mock.route('POST', '/user_management/authenticate', (req, json) => {
      if (json.refresh_token === 'ref_revoked') return { status: 400, json: { error: 'invalid_grant', error_description: 'Session has already ended.' } };
      if (json.refresh_token === 'ref_down') return { status: 500, json: { message: 'down' } };
      return {
        json: {
          user: ADA_WIRE,
          organization_id: json.organization_id,
          access_token: token({ sid: 'session_refreshed', org_id: json.organization_id, role: 'member', roles: ['member'], entitlements: ['sso'] }),
          refresh_token: `${json.refresh_token}_next`,
          authentication_method: 'Password',
        },
      };
    });
    workos = new WorkOS('sk_test_default', { apiHostname: mock.hostname, port: mock.port, https: false, clientId: CLIENT_ID, maxRetries: 0 });
  });
  after(async () => {
    await closeServers();
    await mock?.close();
  });

  for (const [name, express] of EXPRESSES) {
    describe(name, () => {
      let url;
      const seen = [];
      const symbols = noteSymbols();
      before(async () => {
        const guards = createGuards(workos);
        const app = express();
        app.use(symbols.middleware);
        // The app's own authentication: a header names the user.
        app.use((req, res, next) => {
          if (req.headers['x-app-user']) req.user = { id: req.headers['x-app-user'], from: 'app' };
          next();
        });
        const handler = (req, res) => {
          seen.push({ user: req.user, session: req.session, shape: shapeOf(req, symbols.before(req)) });
          res.json({ userId: req.user?.id ?? null });
        };
        app.get('/me', guards.requireAuth({ cookiePassword: PW }), handler);
        app.get('/env', guards.requireAuth(), handler);
        app.get('/custom', guards.requireAuth({ cookieName: 'my_session', cookiePassword: PW }), handler);
        url = await listen(app);
      });
      const lastSeen = () => seen.at(-1);

      test('a valid cookie: req.user is the cookie user, req.session its claims; nothing refreshed or set', async () => {
        const impersonator = { email: 'support@example.test', reason: 'ticket 7' };
        const before = refreshes().length;
        const count = seen.length;
        const res = await call(`${url}/me`, { cookie: `wos-session=${cookieOf(token(), { impersonator })}` });
        assert.equal(res.status, 200);
        assert.deepStrictEqual(res.body, { userId: 'user_ada' });
        assert.equal(seen.length, count + 1);
        assert.deepStrictEqual(lastSeen().user, ADA);
        assert.deepStrictEqual(lastSeen().session, {
          sessionId: 'session_1',
          organizationId: 'org_1',
          role: 'admin',
          roles: ['admin'],
          permissions: ['widgets:write'],
          entitlements: undefined,
          featureFlags: ['beta'],
          impersonator,
        });
        assert.deepStrictEqual(Object.keys(lastSeen().session), ['sessionId', 'organizationId', 'role', 'roles', 'permissions', 'entitlements', 'featureFlags', 'impersonator']);
        assert.deepStrictEqual(res.setCookies, []);
        assert.equal(refreshes().length, before);
        // The request's own keys end with the two set; no symbol of the guards is left; on V8
        // before 13 the request is in dictionary mode (lib/guards.js, UNSHARE).
        assert.deepStrictEqual(lastSeen().shape, { tail: ['user', 'session'], newSymbols: [], fast: FAST_AFTER_GUARDS });
      });

      test('the JWKS is fetched once for all requests; the cookie is found among others and percent-encoded', async () => {
        const cookie = cookieOf(token());
        for (const header of [
          `wos-session=${cookie}`,
          `theme=dark; wos-session=${cookie}; other=1`,
          `wos-session=${encodeURIComponent(cookie).replace(/\*/g, '%2A')}`,
          `a=b;wos-session=${cookie}`,
        ]) {
          const res = await call(`${url}/me`, { cookie: header });
          assert.equal(res.status, 200, header.slice(0, 40));
        }
        assert.equal(jwksFetches(), 1, 'one JWKS request for the whole file');
      });

      test('no cookie → 401 { error: "Not authenticated" }, the handler does not run', async () => {
        const count = seen.length;
        for (const cookie of [undefined, 'theme=dark', 'wos-session=', 'wos-session-x=abc']) {
          const res = await call(`${url}/me`, { cookie });
          assert.equal(res.status, 401, String(cookie));
          assert.deepStrictEqual(res.body, NOT_AUTHENTICATED);
        }
        assert.equal(seen.length, count);
      });

      test('a tampered, truncated, foreign or garbage cookie → 401; no refresh is tried', async () => {
        const good = cookieOf(token());
        const { parts, suffix } = sealParts(good);
        const flipped = (p) => joinSeal(parts.map((x, j) => (j === p ? (x[3] === 'A' ? `${x.slice(0, 3)}B${x.slice(4)}` : `${x.slice(0, 3)}A${x.slice(4)}`) : x)), suffix);
        const before = refreshes().length;
        const count = seen.length;
        for (const cookie of [flipped(2), flipped(4), flipped(7), good.slice(0, -10), cookieOf(token(), {}, OTHER_PASSWORD), 'Fe26.2*garbage', 'x'.repeat(4000)]) {
          const res = await call(`${url}/me`, { cookie: `wos-session=${cookie}` });
          assert.equal(res.status, 401, cookie.slice(0, 30));
          assert.deepStrictEqual(res.body, NOT_AUTHENTICATED);
          assert.deepStrictEqual(res.setCookies, []);
        }
        assert.equal(seen.length, count);
        assert.equal(refreshes().length, before);
      });

      test('a token that does not verify (bad signature, unknown kid, signature stripped, not yet valid) → 401, never refreshed', async () => {
        const before = refreshes().length;
        for (const bad of [badSignature(token()), token({}, STRANGER_KEY), badSignature(expired()), expired({}).replace(/\.[^.]+$/, '.'), token({ nbf: nowSeconds() + 600 }), accessToken(STRANGER_KEY, { ...CLAIMS, exp: nowSeconds() - 60 })]) {
          const res = await call(`${url}/me`, { cookie: `wos-session=${cookieOf(bad)}` });
          assert.equal(res.status, 401);
          assert.deepStrictEqual(res.body, NOT_AUTHENTICATED);
        }
        assert.equal(refreshes().length, before, 'an expired token is only refreshed when its signature is good');
      });

      test('an expired access token is refreshed once: new HttpOnly/Secure/SameSite=Lax cookie, the handler sees the new session', async () => {
        const before = refreshes().length;
        const old = cookieOf(expired(), { impersonator: { email: 'support@example.test', reason: 'r' } });
        const res = await call(`${url}/me`, { cookie: `wos-session=${old}` });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const sent = refreshes().slice(before);
        assert.equal(sent.length, 1, 'exactly one refresh');
        assert.deepStrictEqual(sent[0].json, {
          grant_type: 'refresh_token',
          client_id: CLIENT_ID,
          client_secret: 'sk_test_default',
          refresh_token: 'ref_ok',
          organization_id: 'org_1',
        });

        const { value, attributes } = setCookie(res.setCookies, 'wos-session');
        assert.deepStrictEqual(attributes.sort(), ['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']);
        assert.notEqual(value, old);
        // The new cookie is the refreshed session, readable by the official SDK too.
        const official = officialClient(mock, { clientId: CLIENT_ID });
        const data = await official.userManagement.getSessionFromCookie({ sessionData: value, cookiePassword: PW });
        assert.equal(data.refreshToken, 'ref_ok_next');
        assert.equal(decodeJwt(data.accessToken).sid, 'session_refreshed');
        assert.equal(JSON.parse(unseal(value, PW).text).user.lastName, 'Lovelace (refreshed)');

        assert.equal(lastSeen().user.id, 'user_ada');
        assert.equal(lastSeen().user.lastName, 'Lovelace (refreshed)');
        assert.deepStrictEqual(lastSeen().session, {
          sessionId: 'session_refreshed',
          organizationId: 'org_1',
          role: 'member',
          roles: ['member'],
          permissions: ['widgets:write'],
          entitlements: ['sso'],
          featureFlags: ['beta'],
          impersonator: undefined,
        });

        // The new cookie authenticates without another refresh.
        const next = await call(`${url}/me`, { cookie: `wos-session=${value}` });
        assert.equal(next.status, 200);
        assert.deepStrictEqual(next.setCookies, []);
        assert.equal(refreshes().length, before + 1);
        assert.equal(lastSeen().session.sessionId, 'session_refreshed');
      });

      test('a refresh refused with invalid_grant → 401 without a cookie; a failing API → 401', async () => {
        for (const refreshToken of ['ref_revoked', 'ref_down']) {
          const before = refreshes().length;
          const count = seen.length;
          const res = await call(`${url}/me`, { cookie: `wos-session=${cookieOf(expired(), { refreshToken })}` });
          assert.equal(res.status, 401, refreshToken);
          assert.deepStrictEqual(res.body, NOT_AUTHENTICATED);
          assert.deepStrictEqual(res.setCookies, []);
          assert.equal(refreshes().length - before, 1, `${refreshToken}: one refresh attempt`);
          assert.equal(seen.length, count);
        }
      });

      test('a req.user the app set itself passes without a (valid) cookie; a valid cookie\'s user wins', async () => {
        const cases = [
          [undefined, { id: 'user_app', from: 'app' }],
          ['wos-session=garbage', { id: 'user_app', from: 'app' }],
          [`wos-session=${cookieOf(token(), {}, OTHER_PASSWORD)}`, { id: 'user_app', from: 'app' }],
          [`wos-session=${cookieOf(expired(), { refreshToken: 'ref_revoked' })}`, { id: 'user_app', from: 'app' }],
        ];
        for (const [cookie, user] of cases) {
          const res = await call(`${url}/me`, { cookie, headers: { 'x-app-user': 'user_app' } });
          assert.equal(res.status, 200, String(cookie).slice(0, 30));
          assert.deepStrictEqual(lastSeen().user, user);
          assert.equal(lastSeen().session, undefined);
        }
        const res = await call(`${url}/me`, { cookie: `wos-session=${cookieOf(token())}`, headers: { 'x-app-user': 'user_app' } });
        assert.equal(res.status, 200);
        assert.deepStrictEqual(lastSeen().user, ADA);
        assert.equal(lastSeen().session.sessionId, 'session_1');
      });

      test('cookiePassword defaults to WORKOS_COOKIE_PASSWORD; without any password the cookie is not read', async () => {
        const cookie = `wos-session=${cookieOf(token())}`;
        let restore = envPassword(PW);
        try {
          const res = await call(`${url}/env`, { cookie });
          assert.equal(res.status, 200);
          assert.deepStrictEqual(lastSeen().user, ADA);
        } finally {
          restore();
        }
        restore = envPassword(undefined);
        try {
          const res = await call(`${url}/env`, { cookie });
          assert.equal(res.status, 401);
          assert.deepStrictEqual(res.body, NOT_AUTHENTICATED);
          const app = await call(`${url}/env`, { cookie, headers: { 'x-app-user': 'user_app' } });
          assert.equal(app.status, 200);
          assert.deepStrictEqual(lastSeen().user, { id: 'user_app', from: 'app' });
        } finally {
          restore();
        }
      });

      test('cookieName: the named cookie is read, and set again after a refresh', async () => {
        const ok = await call(`${url}/custom`, { cookie: `wos-session=garbage; my_session=${cookieOf(token())}` });
        assert.equal(ok.status, 200);
        const other = await call(`${url}/custom`, { cookie: `wos-session=${cookieOf(token())}` });
        assert.equal(other.status, 401);
        const refreshed = await call(`${url}/custom`, { cookie: `my_session=${cookieOf(expired())}` });
        assert.equal(refreshed.status, 200);
        const { value, attributes } = setCookie(refreshed.setCookies, 'my_session');
        assert.ok(attributes.includes('HttpOnly') && attributes.includes('Secure') && attributes.includes('SameSite=Lax'));
        assert.equal(decodeJwt(JSON.parse(unseal(value, PW).text).accessToken).sid, 'session_refreshed');
        assert.deepStrictEqual(refreshed.setCookies.filter((c) => c.startsWith('wos-session=')), []);
      });
    });
  }
});

// ---------------------------------------------------------------------------------------
// The seed's organization switcher, end to end on the emulator

/** Reads the Cookie header into req.cookies (what cookie-parser would do). */
function cookies(req, res, next) {
  req.cookies = {};
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const i = pair.indexOf('=');
    if (i > 0) req.cookies[pair.slice(0, i).trim()] = decodeURIComponent(pair.slice(i + 1).trim());
  }
  next();
}

/**
 * The seed's routes, as written there (TypeScript's `!` dropped); only the import differs:
 * `workos` is workos-native's client and `requireAuth` comes from its createGuards().
 */
function seedApp(express, workos, requireAuth) {
  const app = express();
  app.use(express.json());
  app.use(cookies);

  app.get('/api/user/organizations', requireAuth(), async (req, res) => {
    const memberships = await workos.userManagement.listOrganizationMemberships({
      userId: req.user.id,
    });
    const organizations = [];
    for await (const membership of memberships) {
      const org = await workos.organizations.getOrganization(membership.organizationId);
      organizations.push({
        id: org.id,
        name: org.name,
        role: membership.roleSlug,
        status: membership.status,
      });
    }
    res.json({ organizations });
  });

  app.post('/api/user/switch-organization', requireAuth(), async (req, res) => {
    const { organizationId } = req.body;
    // Verify user is a member
    const memberships = await workos.userManagement.listOrganizationMemberships({
      userId: req.user.id,
      organizationId,
    });
    let hasMembership = false;
    for await (const membership of memberships) {
      if (membership.organizationId === organizationId) {
        hasMembership = true;
        break;
      }
    }
    if (!hasMembership) {
      return res.status(403).json({ error: 'Not a member' });
    }
    // Refresh session with new organization context
    const session = workos.userManagement.loadSealedSession({
      sessionData: req.cookies['wos-session'],
      cookiePassword: process.env.WORKOS_COOKIE_PASSWORD,
    });
    const refreshed = await session.refresh({
      organizationId,
    });
    if (!refreshed.authenticated) {
      return res.status(401).json({ error: 'Session refresh failed' });
    }
    res.cookie('wos-session', refreshed.sealedSession, {
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
    });
    res.json({ success: true, organizationId });
  });
  return app;
}

describe('the seed\'s organization switcher on the emulator', () => {
  let emu;
  let workos;
  let official;
  let restoreEnv;
  const ZOE = { email: 'zoe@acme.test', password: 'correct horse battery staple' };

  before(async () => {
    restoreEnv = envPassword(PW);
    emu = await startEmulator({
      seed: {
        users: [
          { email: ZOE.email, first_name: 'Zoé', last_name: '名前', password: ZOE.password },
          { email: 'max@gamma.test', first_name: 'Max', password: 'another long password' },
        ],
        organizations: [
          { name: 'Acme Corp', memberships: [{ user: ZOE.email, role: 'admin' }] },
          { name: 'Beta GmbH', memberships: [{ user: ZOE.email, role: 'member' }] },
          { name: 'Gamma Inc', memberships: [{ user: 'max@gamma.test', role: 'owner' }] },
        ],
      },
    });
    workos = new WorkOS(emu.apiKey, { apiHostname: emu.hostname, port: emu.port, https: false, clientId: CLIENT_ID });
    official = officialClient(emu, { clientId: CLIENT_ID });
  });
  after(async () => {
    await closeServers();
    await emu?.close();
    restoreEnv?.();
  });

  /** Logs Zoé in with the official SDK, which seals the first cookie. */
  async function logIn() {
    const login = await official.userManagement.authenticateWithPassword({ ...ZOE, clientId: CLIENT_ID, session: { sealSession: true, cookiePassword: PW } });
    assert.match(login.sealedSession, /^Fe26\.2\*/);
    return login.sealedSession;
  }

  for (const [name, express] of EXPRESSES) {
    test(`${name}: list the user's organizations, switch to the other one, the new cookie is in it`, async () => {
      emu.reset();
      const { requireAuth } = createGuards(workos);
      const url = await listen(seedApp(express, workos, requireAuth));
      const acme = emu.ids.organizations['Acme Corp'];
      const beta = emu.ids.organizations['Beta GmbH'];
      const gamma = emu.ids.organizations['Gamma Inc'];
      const first = await logIn();

      // Not logged in.
      assert.deepStrictEqual(await call(`${url}/api/user/organizations`).then((r) => [r.status, r.body]), [401, NOT_AUTHENTICATED]);
      assert.equal((await call(`${url}/api/user/switch-organization`, { method: 'POST', json: { organizationId: beta } })).status, 401);

      // The organizations, with the role of each membership.
      const list = await call(`${url}/api/user/organizations`, { cookie: `wos-session=${first}` });
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const byName = (a, b) => a.name.localeCompare(b.name);
      assert.deepStrictEqual(list.body.organizations.sort(byName), [
        { id: acme, name: 'Acme Corp', role: 'admin', status: 'active' },
        { id: beta, name: 'Beta GmbH', role: 'member', status: 'active' },
      ]);

      // Switch into Acme, then into Beta; each answer sets the new cookie.
      const cookiesSeen = [first];
      for (const [organizationId, role] of [[acme, 'admin'], [beta, 'member']]) {
        const res = await call(`${url}/api/user/switch-organization`, { method: 'POST', cookie: `wos-session=${cookiesSeen.at(-1)}`, json: { organizationId } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepStrictEqual(res.body, { success: true, organizationId });
        const { value, attributes } = setCookie(res.setCookies, 'wos-session');
        assert.deepStrictEqual(attributes.sort(), ['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']);
        // The new cookie opens (in both SDKs) to a session in that organization.
        const ours = await workos.userManagement.loadSealedSession({ sessionData: value, cookiePassword: PW }).authenticate();
        const theirs = await official.userManagement.loadSealedSession({ sessionData: value, cookiePassword: PW }).authenticate();
        assert.deepStrictEqual(ours, theirs);
        assert.equal(ours.authenticated, true);
        assert.equal(ours.organizationId, organizationId);
        assert.equal(ours.role, role);
        assert.equal(decodeJwt(ours.accessToken).org_id, organizationId);
        assert.equal((await workos.userManagement.getSessionFromCookie({ sessionData: value, cookiePassword: PW })).organizationId, organizationId);
        cookiesSeen.push(value);
      }

      // The latest cookie still lists the organizations.
      const again = await call(`${url}/api/user/organizations`, { cookie: `wos-session=${cookiesSeen.at(-1)}` });
      assert.equal(again.status, 200);
      assert.equal(again.body.organizations.length, 2);

      // Not a member of Gamma: 403, no cookie.
      const denied = await call(`${url}/api/user/switch-organization`, { method: 'POST', cookie: `wos-session=${cookiesSeen.at(-1)}`, json: { organizationId: gamma } });
      assert.deepStrictEqual([denied.status, denied.body, denied.setCookies], [403, { error: 'Not a member' }, []]);

      // An older cookie still authenticates (its access token is valid) but its refresh token
      // was rotated away. The emulator refuses it with { message, code: 'invalid_grant' } (not
      // the API's OAuth shape), so both SDKs throw GenericServerException rather than answer
      // { authenticated: false, reason: 'invalid_grant' }; checked outside the app.
      const stale = await call(`${url}/api/user/organizations`, { cookie: `wos-session=${cookiesSeen[1]}` });
      assert.equal(stale.status, 200);
      const refreshStale = async (client) => {
        try {
          return { value: await client.userManagement.loadSealedSession({ sessionData: cookiesSeen[1], cookiePassword: PW }).refresh({ organizationId: beta }) };
        } catch (e) {
          return { error: { class: e.constructor.name, message: e.message, status: e.status } };
        }
      };
      const ours = await refreshStale(workos);
      assert.deepStrictEqual(ours, await refreshStale(official));
      assert.deepStrictEqual(ours, { error: { class: 'GenericServerException', message: 'Invalid refresh token', status: 400 } });
    });
  }
});
