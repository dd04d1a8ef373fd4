// Sealed sessions and access tokens (sdk-8.13-surface.md §5.4, §6): loadSealedSession /
// CookieSession, authenticateWithSessionCookie, getSessionFromCookie and
// authenticateWithRefreshToken, each run with @workos-inc/node 8.13.0 and with workos-native
// against the same server. Results must be deepStrictEqual (keys with undefined values included)
// and have the same key order, except for the differences listed in helpers/differences.mjs
// ('jwt-no-throw', 'malformed-cookie-no-throw', 'refresh-unreadable-access-token',
// 'jwks-request-headers'), which are checked here as workos-native's side of them.
//
// Tokens with specific defects are signed here (helpers/tokens.mjs) and the JWKS served by the
// mock; the organization switch runs on WorkOS's emulator, which signs its own tokens.

import { DIFFERENCES } from './helpers/differences.mjs';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import util from 'node:util';
import { after, before, describe, test } from 'node:test';
import { WorkOS as OfficialWorkOS } from '@workos-inc/node';
import { startEmulator } from './helpers/emulator.mjs';
import { startMock } from './helpers/mock-server.mjs';
import {
  COOKIE_PASSWORD,
  OFFICIAL_BASE64,
  OTHER_PASSWORD,
  SEAL_VECTOR,
  SHORT_PASSWORD_ERROR,
  accessToken,
  badSignature,
  decodeJwt,
  joinSeal,
  jwks,
  nowSeconds,
  seal,
  sealParts,
  signJwt,
  signingKey,
  unseal,
} from './helpers/tokens.mjs';

const require = createRequire(import.meta.url);
const { WorkOS: NativeWorkOS } = require('../index.js');

const CLIENT_ID = 'client_test';
const JWKS_PATH = `/sso/jwks/${CLIENT_ID}`;
const PW = COOKIE_PASSWORD;
const KEY = signingKey('kid_main');
const ROTATED_KEY = signingKey('kid_rotated');
/** Fixed times, so every token the mock signs for the same request is the same string. */
const IAT = nowSeconds();
const EXP = IAT + 3600;

// ---------------------------------------------------------------------------------------
// Users, as the API sends them (snake_case) and as both SDKs deserialize them (camelCase)

const wireUser = (id, first, last, extra = {}) => ({
  object: 'user',
  id,
  email: `${id}@example.test`,
  email_verified: true,
  first_name: first,
  last_name: last,
  profile_picture_url: null,
  last_sign_in_at: '2026-01-02T03:04:05.000Z',
  locale: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-02T03:04:05.000Z',
  ...extra,
});
const camelUser = (w) => ({
  object: 'user',
  id: w.id,
  email: w.email,
  emailVerified: w.email_verified,
  firstName: w.first_name,
  profilePictureUrl: w.profile_picture_url,
  lastName: w.last_name,
  lastSignInAt: w.last_sign_in_at,
  locale: w.locale,
  createdAt: w.created_at,
  updatedAt: w.updated_at,
  externalId: w.external_id ?? null,
  metadata: w.metadata ?? {},
});

/** One user per refresh token the mock knows: ASCII, accents, CJK, emoji (incl. a ZWJ sequence). */
const USERS = {
  ref_ascii: wireUser('user_ascii', 'Ada', 'Lovelace', { external_id: 'ext_1', metadata: { plan: 'pro' } }),
  ref_accent: wireUser('user_accent', 'Zoé', 'Dubois-Éluard', { locale: 'fr-FR' }),
  ref_cjk: wireUser('user_cjk', '名前', '山田 太郎', { metadata: { 部署: '開発' } }),
  ref_emoji: wireUser('user_emoji', '🚀 Rocket', '👩‍💻 Dev ✓', { metadata: { mood: '😀' } }),
};
const ADA = camelUser(USERS.ref_ascii);

/** What the mock answers to a refresh: a token for the refresh token's user, in the org asked for. */
function refreshAnswer(refreshToken, organizationId) {
  const user = USERS[refreshToken.replace(/(_next)+$/, '')] ?? USERS.ref_ascii;
  const orgId = organizationId ?? 'org_home';
  return {
    user,
    organization_id: orgId,
    access_token: accessToken(
      KEY,
      {
        sub: user.id,
        sid: `session_after_${refreshToken}`,
        org_id: orgId,
        role: orgId === 'org_other' ? 'member' : 'admin',
        roles: orgId === 'org_other' ? ['member'] : ['admin', 'billing'],
        permissions: ['widgets:read', 'widgets:write'],
        entitlements: ['audit-logs'],
        feature_flags: ['new-dashboard'],
        iat: IAT,
        exp: EXP,
      },
    ),
    refresh_token: `${refreshToken}_next`,
    authentication_method: 'Password',
    impersonator: refreshToken === 'ref_emoji' ? { email: 'admin@example.test', reason: 'Support 🎫 ticket' } : undefined,
    extra_thing: 5,
  };
}

/** Refresh tokens the mock refuses: OAuth errors become reasons, others are thrown. */
const REFUSED = {
  ref_revoked: { status: 400, json: { error: 'invalid_grant', error_description: 'Session has already ended.' } },
  ref_mfa: { status: 400, json: { error: 'mfa_enrollment', error_description: 'MFA enrollment required.' } },
  ref_sso: { status: 400, json: { error: 'sso_required', error_description: 'SSO required.' } },
  ref_other: { status: 400, json: { error: 'invalid_client', error_description: 'Bad client.' } },
  ref_down: { status: 500, json: { message: 'down' } },
};

// ---------------------------------------------------------------------------------------
// Servers and clients

let mock;
let emu;
before(async () => {
  mock = await startMock();
  routeMock();
  emu = await startEmulator({
    seed: {
      users: [{ email: 'zoe@acme.test', first_name: 'Zoé', last_name: '名前 🚀', password: 'correct horse battery staple' }],
      organizations: [
        { name: 'Acme', memberships: [{ user: 'zoe@acme.test', role: 'admin' }] },
        { name: 'Beta', memberships: [{ user: 'zoe@acme.test', role: 'member' }] },
      ],
    },
  });
});
after(async () => {
  await emu?.close();
  await mock?.close();
});

function routeMock() {
  mock.reset();
  mock.route('GET', JWKS_PATH, { json: jwks(KEY) });
  mock.route('POST', '/user_management/authenticate', (req, json) => {
    if (json?.grant_type !== 'refresh_token') return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'x' } };
    return REFUSED[json.refresh_token] ?? { json: refreshAnswer(json.refresh_token, json.organization_id) };
  });
}

const jwksRequests = () => mock.requests.filter((r) => r.path === JWKS_PATH).length;
const refreshRequests = () => mock.requests.filter((r) => r.path === '/user_management/authenticate');

/** Fresh clients of both SDKs for `server` (fresh JWKS caches). */
function clients(server = mock, opts = {}) {
  const o = { apiHostname: server.hostname, port: server.port, https: false, clientId: CLIENT_ID, ...opts };
  return {
    official: new OfficialWorkOS(server.apiKey, { ...o }),
    native: new NativeWorkOS(server.apiKey, { maxRetries: 0, ...o }),
  };
}

async function settle(fn) {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error };
  }
}

/** `fn(client, side)` with the official client, then with workos-native's. */
async function both(fn, pair = clients()) {
  return { official: await settle(() => fn(pair.official, 'official')), native: await settle(() => fn(pair.native, 'native')) };
}

/** Object keys, in order, all the way down (deepStrictEqual ignores key order). */
function keyOrder(v) {
  if (Array.isArray(v)) return v.map(keyOrder);
  if (v === null || typeof v !== 'object') return typeof v;
  return Object.entries(v).map(([k, x]) => [k, keyOrder(x)]);
}

/** deepStrictEqual and the same key order. */
function assertSame(actual, expected, message) {
  assert.deepStrictEqual(actual, expected, message);
  assert.deepStrictEqual(keyOrder(actual), keyOrder(expected), `${message ?? 'value'}: key order`);
}

const describeError = (e) => ({ class: e?.constructor?.name, message: e?.message });
const outcome = (s) => ('error' in s ? { error: describeError(s.error) } : { value: s.value });
const show = (s) => util.inspect(s, { depth: 6 });

/** Both sides settled the same way: equal values (and key order) or errors of the same class and message. */
function assertEqualOutcomes(run, message) {
  assertSame(outcome(run.native), outcome(run.official), message);
  return run;
}

const valueOf = (s, what = '') => {
  assert.ok('value' in s, `${what} should have resolved, got ${show(s.error)}`);
  return s.value;
};
const errorOf = (s, what = '') => {
  assert.ok('error' in s, `${what} should have rejected, got ${show(s.value)}`);
  return s.error;
};

/** A cookie as the SDK seals it after an authentication (§6.1), for `token`. */
const sessionData = (token, extra = {}) => ({
  organizationId: typeof token === 'string' && token.split('.').length === 3 ? safeClaims(token).org_id : undefined,
  user: ADA,
  accessToken: token,
  refreshToken: 'ref_ascii',
  authenticationMethod: 'Password',
  ...extra,
});
function safeClaims(token) {
  try {
    return decodeJwt(token);
  } catch {
    return {};
  }
}
const cookieFor = (token, extra, password = PW, opts) => seal(sessionData(token, extra), password, opts);
const goodToken = (claims = {}) =>
  accessToken(KEY, { sub: 'user_ascii', sid: 'session_1', org_id: 'org_home', role: 'admin', roles: ['admin'], permissions: ['widgets:read'], entitlements: ['sso'], feature_flags: ['beta'], ...claims });

// The entry points that read a cookie, each as `(client, cookie, password) => result`.
const authenticate = (c, cookie, password = PW) => c.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: password }).authenticate();
const withSessionCookie = (c, cookie, password = PW) => c.userManagement.authenticateWithSessionCookie({ sessionData: cookie, cookiePassword: password });
const fromCookie = (c, cookie, password = PW) => c.userManagement.getSessionFromCookie({ sessionData: cookie, cookiePassword: password });
const refresh = (c, cookie, password = PW, options) => c.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: password }).refresh(options);
const logoutUrl = (c, cookie, password = PW, options) => c.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: password }).getLogoutUrl(options);

/** Temporarily sets (or, with undefined, removes) WORKOS_COOKIE_PASSWORD around `fn`. */
async function withEnvPassword(value, fn) {
  const saved = process.env.WORKOS_COOKIE_PASSWORD;
  if (value === undefined) delete process.env.WORKOS_COOKIE_PASSWORD;
  else process.env.WORKOS_COOKIE_PASSWORD = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.WORKOS_COOKIE_PASSWORD;
    else process.env.WORKOS_COOKIE_PASSWORD = saved;
  }
}

/** Replaces the string values of per-call fields (new tokens, seals, ids, sign-in times) by placeholders. */
const VOLATILE = ['sealedSession', 'sealed_session', 'accessToken', 'refreshToken', 'sessionId', 'lastSignInAt', 'updatedAt'];
function blankVolatile(v) {
  if (Array.isArray(v)) return v.map(blankVolatile);
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) out[k] = VOLATILE.includes(k) && typeof x === 'string' ? `<${k}>` : blankVolatile(x);
  return out;
}

// ---------------------------------------------------------------------------------------

describe('Fe26.2 cookies interoperate with @workos-inc/node 8.13.0', () => {
  test('the §6.2 test vector: the helper reproduces it and both SDKs open it to { foo: "bar" }', async () => {
    assert.equal(seal({ foo: 'bar' }, PW, { encSalt: 'a'.repeat(64), macSalt: 'b'.repeat(64), iv: Buffer.alloc(16, 1) }), SEAL_VECTOR);
    const run = assertEqualOutcomes(await both((c) => fromCookie(c, SEAL_VECTOR)));
    assert.deepStrictEqual(valueOf(run.native), { foo: 'bar' });
    // Without the version suffix, and with a padded MAC, it still opens.
    for (const variant of [SEAL_VECTOR.slice(0, -2), SEAL_VECTOR.replace('ctY~2', 'ctY=~2')]) {
      const again = assertEqualOutcomes(await both((c) => fromCookie(c, variant)), variant);
      assert.deepStrictEqual(valueOf(again.native), { foo: 'bar' });
    }
    // The vector has no accessToken: a cookie, but not a session.
    assertEqualOutcomes(await both((c) => authenticate(c, SEAL_VECTOR)));
    assert.deepStrictEqual(await authenticate(clients().native, SEAL_VECTOR), { authenticated: false, reason: 'invalid_session_cookie' });
  });

  for (const [refreshToken, label] of [
    ['ref_ascii', 'ASCII'],
    ['ref_accent', 'accented (é, É)'],
    ['ref_cjk', 'CJK (名前)'],
    ['ref_emoji', 'emoji (🚀, a ZWJ sequence) and an impersonator'],
  ]) {
    test(`${label} user: cookies sealed by either SDK open in the other, to the same data`, async () => {
      const { official, native } = clients();
      const request = { refreshToken, clientId: CLIENT_ID, session: { sealSession: true, cookiePassword: PW } };
      const theirs = await official.userManagement.authenticateWithRefreshToken(request);
      const ours = await native.userManagement.authenticateWithRefreshToken(request);

      // The same AuthenticationResponse apart from the (randomly salted) seal.
      assertSame({ ...ours, sealedSession: '<sealed>' }, { ...theirs, sealedSession: '<sealed>' });
      assert.match(ours.sealedSession, /^Fe26\.2\*1\*[0-9a-f]{64}\*[\w-]{22}\*[\w-]+\*\*[0-9a-f]{64}\*[\w-]{43}~2$/);
      assert.notEqual(ours.sealedSession, theirs.sealedSession);

      // Inside, the same JSON text byte for byte: key order, undefined keys left out, no escapes.
      const theirText = unseal(theirs.sealedSession, PW).text;
      assert.equal(unseal(ours.sealedSession, PW).text, theirText);
      assert.deepStrictEqual(JSON.parse(theirText).user, camelUser(USERS[refreshToken]));

      // Each opens in both SDKs, to the same data and the same authenticated session.
      for (const cookie of [theirs.sealedSession, ours.sealedSession]) {
        const data = assertEqualOutcomes(await both((c) => fromCookie(c, cookie)));
        assert.deepStrictEqual(valueOf(data.native), JSON.parse(theirText));
        const session = assertEqualOutcomes(await both((c) => authenticate(c, cookie)));
        assert.equal(valueOf(session.native).authenticated, true);
        assert.deepStrictEqual(valueOf(session.native).user, camelUser(USERS[refreshToken]));
        assertEqualOutcomes(await both((c) => withSessionCookie(c, cookie)));
      }

      // A cookie workos-native's refresh() seals opens in the official SDK, and vice versa.
      const nativeRefreshed = await refresh(native, theirs.sealedSession);
      const officialRefreshed = await refresh(official, ours.sealedSession);
      for (const cookie of [nativeRefreshed.sealedSession, officialRefreshed.sealedSession]) {
        const opened = assertEqualOutcomes(await both((c) => fromCookie(c, cookie)));
        assert.equal(valueOf(opened.native).refreshToken, `${refreshToken}_next_next`);
        assert.deepStrictEqual(valueOf(opened.native).user, camelUser(USERS[refreshToken]));
      }
      assert.equal(unseal(nativeRefreshed.sealedSession, PW).text, unseal(officialRefreshed.sealedSession, PW).text);
    });
  }

  test('unicode cookie passwords: 16 emoji (32 UTF-16 units) seal and open in both; 31 × "é" is too short in both', async () => {
    const emojiPassword = '🚀'.repeat(16);
    const { official, native } = clients();
    const request = { refreshToken: 'ref_cjk', clientId: CLIENT_ID, session: { sealSession: true, cookiePassword: emojiPassword } };
    const theirs = (await official.userManagement.authenticateWithRefreshToken(request)).sealedSession;
    const ours = (await native.userManagement.authenticateWithRefreshToken(request)).sealedSession;
    for (const cookie of [theirs, ours, seal({ a: 'é' }, emojiPassword)]) {
      const run = assertEqualOutcomes(await both((c) => fromCookie(c, cookie, emojiPassword)));
      assert.notDeepStrictEqual(valueOf(run.native), {});
    }
    const short = 'é'.repeat(31);
    const run = assertEqualOutcomes(await both((c) => fromCookie(c, theirs, short)));
    assert.equal(errorOf(run.native).message, SHORT_PASSWORD_ERROR);
  });

  test('version suffixes: none and ~2 read the data; ~1 and ~3 read `persistent` when there is one', async () => {
    const token = goodToken();
    const inner = sessionData(token);
    const cases = [
      [seal(inner, PW, { suffix: '' }), inner],
      [seal(inner, PW, { suffix: '~2' }), inner],
      [seal(inner, PW, { suffix: '~3' }), inner],
      [seal({ ...inner, persistent: { foo: 1 } }, PW, { suffix: '~1' }), { foo: 1 }],
      [seal({ ...inner, persistent: { foo: 1 } }, PW, { suffix: '~2' }), { ...inner, persistent: { foo: 1 } }],
      [seal({ persistent: inner }, PW, { suffix: '~1' }), inner],
    ];
    for (const [cookie, expected] of cases) {
      const run = assertEqualOutcomes(await both((c) => fromCookie(c, cookie)), cookie.slice(-3));
      assert.deepStrictEqual(valueOf(run.native), expected);
      assertEqualOutcomes(await both((c) => authenticate(c, cookie)), cookie.slice(-3));
    }
  });
});

// ---------------------------------------------------------------------------------------

describe('results equal to the official SDK', () => {
  test('CookieSession.authenticate(): every claim, the cookie user, authenticationMethod and impersonator', async () => {
    const impersonator = { email: 'admin@example.test', reason: 'Ticket #42 — “Zoé”' };
    const cookie = cookieFor(goodToken(), { impersonator, authenticationMethod: 'GoogleOAuth' });
    const run = assertEqualOutcomes(await both((c) => authenticate(c, cookie)));
    const token = unsealJson(cookie).accessToken;
    assertSame(valueOf(run.native), {
      authenticated: true,
      sessionId: 'session_1',
      organizationId: 'org_home',
      role: 'admin',
      roles: ['admin'],
      permissions: ['widgets:read'],
      entitlements: ['sso'],
      featureFlags: ['beta'],
      user: ADA,
      authenticationMethod: 'GoogleOAuth',
      impersonator,
      accessToken: token,
    });

    // A minimal token: every key is still there, undefined.
    const bare = cookieFor(accessToken(KEY, { sid: undefined, iat: undefined }), { authenticationMethod: undefined });
    const minimal = assertEqualOutcomes(await both((c) => authenticate(c, bare)));
    assert.deepStrictEqual(Object.keys(valueOf(minimal.native)), [
      'authenticated', 'sessionId', 'organizationId', 'role', 'roles', 'permissions', 'entitlements', 'featureFlags',
      'user', 'authenticationMethod', 'impersonator', 'accessToken',
    ]);
    assert.equal(valueOf(minimal.native).sessionId, undefined);
  });

  test('authenticateWithSessionCookie: success shape (no impersonator) and every failure', async () => {
    const cookie = cookieFor(goodToken(), { impersonator: { email: 'a@b.c', reason: 'r' } });
    const ok = assertEqualOutcomes(await both((c) => withSessionCookie(c, cookie)));
    assert.deepStrictEqual(Object.keys(valueOf(ok.native)), [
      'authenticated', 'sessionId', 'organizationId', 'role', 'roles', 'user', 'permissions', 'entitlements', 'featureFlags',
      'accessToken', 'authenticationMethod',
    ]);
    assert.equal(valueOf(ok.native).authenticated, true);

    const failures = [
      ['', 'no_session_cookie_provided'],
      [undefined, 'no_session_cookie_provided'],
      ['not a cookie', 'invalid_session_cookie'],
      [cookieFor(goodToken(), {}, OTHER_PASSWORD), 'invalid_session_cookie'],
      [seal({ user: ADA, refreshToken: 'ref_ascii' }, PW), 'invalid_session_cookie'],
      [cookieFor(''), 'invalid_session_cookie'],
      [cookieFor(goodToken({ exp: nowSeconds() - 10 })), 'invalid_jwt'],
      [cookieFor('abc'), 'invalid_jwt'],
    ];
    for (const [data, reason] of failures) {
      const run = assertEqualOutcomes(await both((c) => withSessionCookie(c, data)), String(data).slice(0, 20));
      assertSame(valueOf(run.native), { authenticated: false, reason });
    }

    // Errors: no password (option or env), no client id (even for an empty cookie).
    await withEnvPassword(undefined, async () => {
      const run = assertEqualOutcomes(await both((c) => c.userManagement.authenticateWithSessionCookie({ sessionData: cookie })));
      assert.equal(errorOf(run.native).message, 'Cookie password is required');
    });
    await withEnvPassword(PW, async () => {
      const run = assertEqualOutcomes(await both((c) => c.userManagement.authenticateWithSessionCookie({ sessionData: cookie })));
      assert.equal(valueOf(run.native).authenticated, true);
    });
    for (const data of [cookie, '']) {
      const run = assertEqualOutcomes(await both((c) => withSessionCookie(c, data), clients(mock, { clientId: undefined })));
      assert.equal(errorOf(run.native).message, 'Must provide clientId to initialize JWKS');
    }
  });

  test('getSessionFromCookie: the data inside, undefined without a cookie, {} for a foreign one, env password', async () => {
    const cookie = cookieFor(goodToken({ exp: nowSeconds() - 10 }), { impersonator: { email: 'a@b.c', reason: 'r' } });
    const run = assertEqualOutcomes(await both((c) => fromCookie(c, cookie)));
    assertSame(valueOf(run.native), unsealJson(cookie)); // an expired token does not matter here
    for (const [data, expected] of [['', undefined], [undefined, undefined], [cookieFor(goodToken(), {}, OTHER_PASSWORD), {}], ['garbage', {}]]) {
      const r = assertEqualOutcomes(await both((c) => fromCookie(c, data)));
      assert.deepStrictEqual(valueOf(r.native), expected);
    }
    await withEnvPassword(undefined, async () => {
      const r = assertEqualOutcomes(await both((c) => c.userManagement.getSessionFromCookie({ sessionData: cookie })));
      assert.equal(errorOf(r.native).message, 'Cookie password is required');
    });
    await withEnvPassword(PW, async () => {
      const r = assertEqualOutcomes(await both((c) => c.userManagement.getSessionFromCookie({ sessionData: cookie })));
      assertSame(valueOf(r.native), unsealJson(cookie));
    });
    // No JWKS or any other request.
    const before = mock.requests.length;
    await fromCookie(clients().native, cookie);
    assert.equal(mock.requests.length, before);
  });

  test('CookieSession: a missing cookiePassword throws at loadSealedSession; a missing clientId at authenticate()', async () => {
    for (const password of [undefined, '']) {
      const run = assertEqualOutcomes(await both((c) => c.userManagement.loadSealedSession({ sessionData: 'x', cookiePassword: password })));
      assert.equal(errorOf(run.native).message, 'cookiePassword is required');
    }
    const cookie = cookieFor(goodToken());
    const run = assertEqualOutcomes(await both((c) => authenticate(c, cookie), clients(mock, { clientId: undefined })));
    assert.equal(errorOf(run.native).message, 'Missing client ID. Did you provide it when initializing WorkOS?');
    // An empty cookie needs no client id.
    const empty = assertEqualOutcomes(await both((c) => authenticate(c, ''), clients(mock, { clientId: undefined })));
    assert.deepStrictEqual(valueOf(empty.native), { authenticated: false, reason: 'no_session_cookie_provided' });
    // A short password is only checked when the cookie is opened.
    const session = clients().native.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: 'short' });
    assert.equal(session.cookiePassword, 'short');
    assert.equal(session.sessionData, cookie);
  });

  test('getLogoutUrl: the session id (and returnTo) in the logout URL; an unauthenticated session throws its reason', async () => {
    const cookie = cookieFor(goodToken({ sid: 'session 1/é' }));
    const plain = assertEqualOutcomes(await both((c) => logoutUrl(c, cookie)));
    assert.equal(valueOf(plain.native), `http://127.0.0.1:${mock.port}/user_management/sessions/logout?session_id=session+1%2F%C3%A9`);
    const withReturn = assertEqualOutcomes(await both((c) => logoutUrl(c, cookie, PW, { returnTo: 'https://app.test/bye?x=1&y=é' })));
    assert.equal(
      valueOf(withReturn.native),
      `http://127.0.0.1:${mock.port}/user_management/sessions/logout?session_id=session+1%2F%C3%A9&return_to=https%3A%2F%2Fapp.test%2Fbye%3Fx%3D1%26y%3D%C3%A9`,
    );
    for (const [data, reason] of [['', 'no_session_cookie_provided'], ['garbage', 'invalid_session_cookie'], [cookieFor(goodToken({ exp: nowSeconds() - 1 })), 'invalid_jwt']]) {
      const run = assertEqualOutcomes(await both((c) => logoutUrl(c, data)));
      assert.equal(errorOf(run.native).message, `Failed to extract session ID for logout URL: ${reason}`);
    }
  });

  test('refresh(): result, request, the session keeps the new cookie (and a new password), reasons and errors', async () => {
    const cookie = cookieFor(goodToken(), { impersonator: { email: 'old@example.test', reason: 'old' } });
    const pair = clients();
    const sessions = {
      official: pair.official.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: PW }),
      native: pair.native.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: PW }),
    };
    const mark = refreshRequests().length;
    const run = await both((c, side) => sessions[side].refresh({ organizationId: 'org_other' }), pair);
    const [theirRequest, ourRequest] = refreshRequests().slice(mark);
    assert.deepStrictEqual(ourRequest.json, theirRequest.json);
    assert.deepStrictEqual(Object.keys(ourRequest.json), ['grant_type', 'client_id', 'client_secret', 'refresh_token', 'organization_id']);
    assert.equal(ourRequest.json.organization_id, 'org_other');

    const theirs = valueOf(run.official);
    const ours = valueOf(run.native);
    // The seals differ (fresh salts) but open to the same text.
    assert.equal(unseal(ours.sealedSession, PW).text, unseal(theirs.sealedSession, PW).text);
    assert.equal(ours.session.sealedSession, ours.sealedSession);
    const blankSeal = (r) => ({ ...r, sealedSession: '<sealed>', session: { ...r.session, sealedSession: '<sealed>' } });
    assertSame(blankSeal(ours), blankSeal(theirs));
    assert.equal(ours.organizationId, 'org_other');
    assert.equal(ours.role, 'member');
    assert.equal(ours.session.extra_thing, 5);
    assert.deepStrictEqual(ours.impersonator, { email: 'old@example.test', reason: 'old' }); // from the old cookie
    assert.equal(sessions.native.sessionData, ours.sealedSession);
    assert.equal(sessions.native.cookiePassword, PW);

    // Without organizationId, the org of the old token is asked for.
    const again = await both((c) => refresh(c, cookie));
    assert.deepStrictEqual(refreshRequests().slice(-2).map((r) => r.json.organization_id), ['org_home', 'org_home']);
    assertSame(blankSeal(valueOf(again.native)), blankSeal(valueOf(again.official)));

    // A new cookie password seals the new cookie and replaces the stored one.
    const rekey = await both(async (c) => {
      const s = c.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: PW });
      const r = await s.refresh({ cookiePassword: OTHER_PASSWORD });
      return { password: s.cookiePassword, opensWithNew: unseal(r.sealedSession, OTHER_PASSWORD) !== null, opensWithOld: unseal(r.sealedSession, PW) !== null, stored: s.sessionData === r.sealedSession };
    });
    assertSame(valueOf(rekey.native), { password: OTHER_PASSWORD, opensWithNew: true, opensWithOld: false, stored: true });
    assertEqualOutcomes(rekey);

    // OAuth answers that are reasons; the rest is thrown.
    for (const refreshToken of ['ref_revoked', 'ref_mfa', 'ref_sso', 'ref_other', 'ref_down']) {
      const c = cookieFor(goodToken(), { refreshToken });
      const sessionsFor = {};
      const r = await both((client, side) => {
        sessionsFor[side] = client.userManagement.loadSealedSession({ sessionData: c, cookiePassword: PW });
        return sessionsFor[side].refresh();
      });
      if ('value' in r.official) assertSame(valueOf(r.native, refreshToken), valueOf(r.official));
      else assertSame(describeError(errorOf(r.native, refreshToken)), describeError(r.official.error), refreshToken);
      assert.equal(sessionsFor.native.sessionData, c, `${refreshToken}: the session keeps its cookie`);
    }
    assert.deepStrictEqual(valueOf((await both((c) => refresh(c, cookieFor(goodToken(), { refreshToken: 'ref_revoked' })))).native), {
      authenticated: false,
      reason: 'invalid_grant',
    });

    // Cookies refresh() cannot use.
    for (const data of ['', 'garbage', cookieFor(goodToken(), {}, OTHER_PASSWORD), seal({ accessToken: goodToken(), user: ADA }, PW), seal({ accessToken: goodToken(), refreshToken: 'ref_ascii' }, PW)]) {
      const r = assertEqualOutcomes(await both((c) => refresh(c, data)));
      assertSame(valueOf(r.native), { authenticated: false, reason: 'invalid_session_cookie' });
    }
  });

  test('authenticateWithRefreshToken: plain result, request body, client id and sealing errors', async () => {
    const mark = refreshRequests().length;
    const payload = { refreshToken: 'ref_accent', organizationId: 'org_other', ipAddress: '192.0.2.1', userAgent: 'Zoé’s browser' };
    const run = assertEqualOutcomes(await both((c) => c.userManagement.authenticateWithRefreshToken(payload)));
    assert.equal(valueOf(run.native).sealedSession, undefined);
    assert.equal('sealedSession' in valueOf(run.native), false);
    assert.equal(valueOf(run.native).extra_thing, 5);
    const [theirs, ours] = refreshRequests().slice(mark);
    assert.equal(ours.body, theirs.body);
    assert.deepStrictEqual(Object.keys(ours.json), ['grant_type', 'client_id', 'client_secret', 'refresh_token', 'organization_id', 'ip_address', 'user_agent']);

    // The payload's clientId wins; without any, a TypeError before any request.
    const other = await both((c) => c.userManagement.authenticateWithRefreshToken({ refreshToken: 'ref_ascii', clientId: 'client_other' }));
    assertEqualOutcomes(other);
    assert.deepStrictEqual(refreshRequests().slice(-2).map((r) => r.json.client_id), ['client_other', 'client_other']);
    const before = mock.requests.length;
    const none = assertEqualOutcomes(await both((c) => c.userManagement.authenticateWithRefreshToken({ refreshToken: 'ref_ascii' }), clients(mock, { clientId: undefined })));
    assert.equal(errorOf(none.native).constructor, TypeError);
    assert.equal(errorOf(none.native).message, 'clientId is required. Provide it in method options or when initializing WorkOS.');
    assert.equal(mock.requests.length, before);

    // sealSession without a cookie password: the request is made, then it throws.
    const noPassword = assertEqualOutcomes(await both((c) => c.userManagement.authenticateWithRefreshToken({ refreshToken: 'ref_ascii', session: { sealSession: true } })));
    assert.equal(errorOf(noPassword.native).message, 'Cookie password is required');
    assert.equal(mock.requests.length, before + 2);
  });

  test('refresh({ organizationId }) on the emulator: a user of two organizations switches to the other one', async () => {
    emu.reset();
    const acme = emu.ids.organizations.Acme;
    const beta = emu.ids.organizations.Beta;
    const pair = clients(emu);
    const results = {};
    for (const side of ['official', 'native']) {
      // Log in (the official SDK seals the first cookie), enter Acme, then switch to Beta.
      const login = await pair.official.userManagement.authenticateWithPassword({
        email: 'zoe@acme.test',
        password: 'correct horse battery staple',
        clientId: CLIENT_ID,
        session: { sealSession: true, cookiePassword: PW },
      });
      const session = pair[side].userManagement.loadSealedSession({ sessionData: login.sealedSession, cookiePassword: PW });
      const inAcme = await session.refresh({ organizationId: acme });
      assert.equal(inAcme.authenticated, true, `${side}: ${show(inAcme)}`);
      assert.equal(decodeJwt(inAcme.session.accessToken).org_id, acme);
      assert.equal(inAcme.role, 'admin');
      const inBeta = await session.refresh({ organizationId: beta });
      assert.equal(inBeta.authenticated, true, `${side}: ${show(inBeta)}`);
      assert.equal(decodeJwt(inBeta.session.accessToken).org_id, beta, side);
      assert.equal(inBeta.organizationId, beta);
      assert.equal(inBeta.role, 'member');
      assert.equal(session.sessionData, inBeta.sealedSession);
      results[side] = inBeta;
    }
    assertSame(blankVolatile(results.native), blankVolatile(results.official));

    // Each side's new cookie opens in both SDKs to a session in Beta.
    for (const side of ['official', 'native']) {
      const cookie = results[side].sealedSession;
      const opened = assertEqualOutcomes(await both((c) => authenticate(c, cookie), pair));
      assert.equal(valueOf(opened.native).organizationId, beta);
      assert.equal(valueOf(opened.native).role, 'member');
      const data = assertEqualOutcomes(await both((c) => fromCookie(c, cookie), pair));
      assert.equal(valueOf(data.native).organizationId, beta);
      assert.equal(valueOf(data.native).user.firstName, 'Zoé');
    }
  });
});

// ---------------------------------------------------------------------------------------

/** The JSON inside a cookie sealed with PW. */
function unsealJson(cookie) {
  return JSON.parse(unseal(cookie, PW).text);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Which alphabet each of the 8 parts is written in. */
const PART_ALPHABET = ['prefix', 'digits', 'hex', 'b64', 'b64', 'digits', 'hex', 'b64'];

/**
 * `part` with its character at `i` changed to another character of the part's own alphabet,
 * flipping a high bit so that the decoded bytes change (a base64 character's low bits may be
 * padding).
 */
function flipInPart(part, partIndex, i) {
  const c = part[i];
  let next;
  switch (PART_ALPHABET[partIndex]) {
    case 'hex':
      next = '0123456789abcdef'['0123456789abcdef'.indexOf(c) ^ 8];
      break;
    case 'b64':
      next = B64URL[B64URL.indexOf(c) ^ 32];
      break;
    case 'digits':
      next = String((Number(c) + 1) % 10);
      break;
    default:
      next = c === 'X' ? 'Y' : 'X';
  }
  return part.slice(0, i) + next + part.slice(i + 1);
}

/** The reason every cookie entry point gives for `cookie` in workos-native, and that none throws. */
async function nativeReasons(cookie) {
  const { native } = clients();
  const out = {};
  out.authenticate = (await authenticate(native, cookie)).reason;
  out.withSessionCookie = (await withSessionCookie(native, cookie)).reason;
  out.refresh = (await refresh(native, cookie)).reason;
  out.fromCookie = await fromCookie(native, cookie);
  out.logout = (await settle(() => logoutUrl(native, cookie))).error?.message;
  return out;
}
const INVALID_COOKIE_EVERYWHERE = {
  authenticate: 'invalid_session_cookie',
  withSessionCookie: 'invalid_session_cookie',
  refresh: 'invalid_session_cookie',
  fromCookie: {},
  logout: 'Failed to extract session ID for logout URL: invalid_session_cookie',
};

describe('every failure reason', () => {
  test('one character changed in each of the 8 parts → invalid_session_cookie everywhere, in both SDKs', async () => {
    const cookie = cookieFor(goodToken());
    const { parts, suffix } = sealParts(cookie);
    assert.equal(parts.length, 8);
    const variants = [];
    for (let p = 0; p < 8; p++) {
      if (parts[p] === '') continue; // the expiration, below
      const at = Math.floor(parts[p].length / 2);
      variants.push([`part ${p} (${parts[p].slice(0, 8)}…)`, joinSeal(parts.map((x, j) => (j === p ? flipInPart(x, p, at) : x)), suffix)]);
    }
    // The empty expiration (part 5), given a value: long past (expired seal) or future (MAC mismatch).
    variants.push(['part 5: expired', joinSeal(parts.map((x, j) => (j === 5 ? '1' : x)), suffix)]);
    variants.push(['part 5: in the future', joinSeal(parts.map((x, j) => (j === 5 ? String(Date.now() + 3_600_000) : x)), suffix)]);
    const before = refreshRequests().length;
    for (const [label, tampered] of variants) {
      assert.notEqual(tampered, cookie);
      assert.deepStrictEqual(await nativeReasons(tampered), INVALID_COOKIE_EVERYWHERE, label);
      for (const entry of [authenticate, withSessionCookie, refresh, fromCookie, logoutUrl]) {
        assertEqualOutcomes(await both((c) => entry(c, tampered)), `${label}: ${entry.name}`);
      }
    }
    assert.equal(refreshRequests().length, before, 'no refresh is attempted with a tampered cookie');
  });

  test('every single character of a cookie changed, one at a time: never authenticated, never thrown, as official', async () => {
    const cookie = cookieFor(goodToken());
    const { parts, suffix } = sealParts(cookie);
    const pair = clients();
    let checked = 0;
    for (let p = 0; p < 8; p++) {
      for (let i = 0; i < parts[p].length; i++) {
        const tampered = joinSeal(parts.map((x, j) => (j === p ? flipInPart(x, p, i) : x)), suffix);
        const run = await both((c) => authenticate(c, tampered), pair);
        assertSame(valueOf(run.native, `part ${p} char ${i}`), { authenticated: false, reason: 'invalid_session_cookie' }, `part ${p} char ${i}`);
        assertEqualOutcomes(run, `part ${p} char ${i}`);
        checked++;
      }
    }
    // The separators too: 7 parts instead of 8.
    for (let i = 0; i < cookie.length; i++) {
      if (cookie[i] !== '*') continue;
      const tampered = cookie.slice(0, i) + 'X' + cookie.slice(i + 1);
      const run = assertEqualOutcomes(await both((c) => authenticate(c, tampered), pair));
      assert.equal(valueOf(run.native).reason, 'invalid_session_cookie');
      checked++;
    }
    assert.ok(checked > 1000, `${checked} variants`);
  });

  test('the version suffix changed (~2 → ~1, ~3, ~9, none): the seal still opens, as in the official SDK', async () => {
    const cookie = cookieFor(goodToken());
    for (const suffix of ['~1', '~3', '~9', '']) {
      const changed = cookie.slice(0, -2) + suffix;
      const run = assertEqualOutcomes(await both((c) => authenticate(c, changed)), suffix);
      assert.equal(valueOf(run.native).authenticated, true, suffix);
    }
  });

  test('truncated cookies → invalid_session_cookie (equal to official wherever it does not throw)', async () => {
    const cookie = cookieFor(goodToken());
    const pair = clients();
    const lengths = [0, 1, 6, 7, 20, 100, Math.floor(cookie.length / 2), ...Array.from({ length: 12 }, (_, k) => cookie.length - 3 - k)];
    for (const n of lengths) {
      const cut = cookie.slice(0, n);
      const run = await both((c) => authenticate(c, cut), pair);
      const expected = n === 0 ? 'no_session_cookie_provided' : 'invalid_session_cookie';
      assertSame(valueOf(run.native, `length ${n}`), { authenticated: false, reason: expected }, `length ${n}`);
      // Some lengths leave a MAC whose base64 is malformed: the official SDK throws there
      // (difference 'malformed-cookie-no-throw').
      if ('error' in run.official) assert.equal(run.official.error.name, OFFICIAL_BASE64.errorName, `length ${n}`);
      else assertEqualOutcomes(run, `length ${n}`);
    }
    // Only the version suffix cut: still a cookie (no version means version 2's reading).
    const run = assertEqualOutcomes(await both((c) => authenticate(c, cookie.slice(0, -2)), pair));
    assert.equal(valueOf(run.native).authenticated, true);
  });

  test('a foreign cookie (sealed with another password) → invalid_session_cookie everywhere, in both', async () => {
    const foreign = cookieFor(goodToken(), {}, OTHER_PASSWORD);
    assert.deepStrictEqual(await nativeReasons(foreign), INVALID_COOKIE_EVERYWHERE);
    for (const entry of [authenticate, withSessionCookie, refresh, fromCookie, logoutUrl]) {
      assertEqualOutcomes(await both((c) => entry(c, foreign)), entry.name);
    }
  });

  test('a cookie password shorter than 32 characters throws from every entry point, like official', async () => {
    const cookie = cookieFor(goodToken());
    for (const password of ['short', 'x'.repeat(31), '🚀'.repeat(15) + 'x']) {
      for (const entry of [authenticate, withSessionCookie, refresh, fromCookie, logoutUrl]) {
        const run = assertEqualOutcomes(await both((c) => entry(c, cookie, password)), `${entry.name} ${password}`);
        const e = errorOf(run.native, entry.name);
        assert.equal(e.constructor, Error);
        assert.equal(e.message, SHORT_PASSWORD_ERROR);
      }
    }
    // Sealing with a short password throws too (after the request, like official).
    const run = assertEqualOutcomes(
      await both((c) => c.userManagement.authenticateWithRefreshToken({ refreshToken: 'ref_ascii', session: { sealSession: true, cookiePassword: 'x'.repeat(31) } })),
    );
    assert.equal(errorOf(run.native).message, SHORT_PASSWORD_ERROR);
    // Without a cookie there is nothing to open: the reason, not an error.
    const empty = assertEqualOutcomes(await both((c) => authenticate(c, '', 'short')));
    assert.deepStrictEqual(valueOf(empty.native), { authenticated: false, reason: 'no_session_cookie_provided' });
  });

  test('no cookie → no_session_cookie_provided (refresh of "": invalid_session_cookie), in both', async () => {
    for (const data of ['', undefined, null]) {
      for (const [entry, expected] of [
        [authenticate, 'no_session_cookie_provided'],
        [withSessionCookie, 'no_session_cookie_provided'],
        ...(data === '' ? [[refresh, 'invalid_session_cookie']] : []), // undefined/null: see the last describe
      ]) {
        const run = assertEqualOutcomes(await both((c) => entry(c, data)), `${entry.name}(${data})`);
        assertSame(valueOf(run.native), { authenticated: false, reason: expected });
      }
    }
    assert.deepStrictEqual(await nativeReasons(''), {
      authenticate: 'no_session_cookie_provided',
      withSessionCookie: 'no_session_cookie_provided',
      refresh: 'invalid_session_cookie',
      fromCookie: undefined,
      logout: 'Failed to extract session ID for logout URL: no_session_cookie_provided',
    });
  });

  test('expired, not yet valid, iat or exp not a number, bad signature, not a JWT → invalid_jwt in both', async () => {
    const now = nowSeconds();
    const tokens = {
      expired: goodToken({ exp: now - 5 }),
      'expires now': goodToken({ exp: now }),
      'nbf in the future': goodToken({ nbf: now + 60 }),
      'iat not a number': goodToken({ iat: 'yesterday' }),
      'exp not a number': goodToken({ exp: String(now + 3600) }),
      'bad signature': badSignature(goodToken()),
      'signed by another key with our kid': accessToken(ROTATED_KEY, {}, { kid: KEY.kid }),
      'payload not an object': signJwt('[1,2]', { key: KEY }),
      'not a JWT': 'abc',
      'two parts': goodToken().split('.').slice(0, 2).join('.'),
    };
    for (const [label, token] of Object.entries(tokens)) {
      const cookie = cookieFor(token);
      for (const entry of [authenticate, withSessionCookie]) {
        const run = assertEqualOutcomes(await both((c) => entry(c, cookie)), `${label}: ${entry.name}`);
        assertSame(valueOf(run.native), { authenticated: false, reason: 'invalid_jwt' }, label);
      }
    }
    // Still valid: nbf now, no exp, no kid with a single key, iat in the future.
    for (const token of [goodToken({ nbf: now }), goodToken({ exp: undefined }), accessToken(KEY, {}, { kid: null }), goodToken({ iat: now + 600 })]) {
      const run = assertEqualOutcomes(await both((c) => authenticate(c, cookieFor(token))));
      assert.equal(valueOf(run.native).authenticated, true, JSON.stringify(decodeJwt(token)));
    }
  });

  test('HS256, alg none, an unknown kid, RS384 → invalid_jwt in workos-native; none of these throws (difference jwt-no-throw)', async () => {
    const now = nowSeconds();
    const claims = { sub: 'user_ascii', sid: 'session_1', exp: now + 3600 };
    const tokens = {
      HS256: [signJwt(claims, { alg: 'HS256', kid: KEY.kid }), 'JOSENotSupported'],
      'HS256 keyed with the public key': [signJwt(claims, { alg: 'HS256', kid: KEY.kid, secret: KEY.publicKey.export({ type: 'spki', format: 'pem' }) }), 'JOSENotSupported'],
      'alg none': [signJwt(claims, { alg: 'none', kid: KEY.kid }), 'JOSENotSupported'],
      'alg none, no kid': [signJwt(claims, { alg: 'none' }), 'JOSENotSupported'],
      'unknown kid': [accessToken(ROTATED_KEY), 'JWKSNoMatchingKey'],
      RS384: [accessToken(KEY, {}, { alg: 'RS384' }), 'JWKSNoMatchingKey'],
    };
    for (const [label, [token, officialClass]] of Object.entries(tokens)) {
      const cookie = cookieFor(token);
      for (const entry of [authenticate, withSessionCookie]) {
        const run = await both((c) => entry(c, cookie));
        assert.equal(errorOf(run.official, `official ${label}`).constructor.name, officialClass, label);
        assertSame(valueOf(run.native, label), { authenticated: false, reason: 'invalid_jwt' }, label);
      }
      const logout = await settle(() => logoutUrl(clients().native, cookie));
      assert.equal(errorOf(logout).message, 'Failed to extract session ID for logout URL: invalid_jwt');
    }
  });

  test('malformed 8-part cookies (bad expiration, invalid base64, not JSON) → invalid_session_cookie (difference malformed-cookie-no-throw)', async () => {
    const token = goodToken();
    const { parts, suffix } = sealParts(cookieFor(token));
    const cookies = {
      'expiration "abc"': [cookieFor(token, {}, PW, { expiration: 'abc' }), 'Invalid expiration'],
      'expiration "0123"': [cookieFor(token, {}, PW, { expiration: '0123' }), 'Invalid expiration'],
      'expiration "+5"': [cookieFor(token, {}, PW, { expiration: '+5' }), 'Invalid expiration'],
      'MAC with "!"': [joinSeal(parts.map((x, j) => (j === 7 ? `${x.slice(0, 5)}!${x.slice(6)}` : x)), suffix), OFFICIAL_BASE64.message],
      'MAC one character short of a quantum': [joinSeal(parts.map((x, j) => (j === 7 ? x.slice(0, 41) : x)), suffix), OFFICIAL_BASE64.message],
      'sealed text not JSON': [seal(null, PW, { text: '{"accessToken":' }), 'Failed parsing sealed object JSON'],
    };
    for (const [label, [cookie, officialMessage]] of Object.entries(cookies)) {
      for (const entry of [authenticate, withSessionCookie, refresh, fromCookie]) {
        const run = await both((c) => entry(c, cookie));
        const expected = officialMessage instanceof RegExp ? officialMessage : new RegExp(officialMessage.replace(/[+]/g, '\\+'));
        assert.match(errorOf(run.official, `official ${label} ${entry.name}`).message, expected, label);
      }
      assert.deepStrictEqual(await nativeReasons(cookie), INVALID_COOKIE_EVERYWHERE, label);
    }
  });

  test('an expiration written with a sign ("+<future ms>") is malformed too → invalid_session_cookie, never authenticated', async () => {
    // iron accepts only ^[1-9]\d*$ (the official SDK throws 'Invalid expiration'); a leading '+'
    // must not make an authentic seal open.
    const cookie = cookieFor(goodToken(), {}, PW, { expiration: `+${Date.now() + 3_600_000}` });
    for (const entry of [authenticate, withSessionCookie, refresh, fromCookie]) {
      const run = await both((c) => entry(c, cookie));
      assert.equal(errorOf(run.official, `official ${entry.name}`).message, 'Invalid expiration');
    }
    assert.deepStrictEqual(await nativeReasons(cookie), INVALID_COOKIE_EVERYWHERE);
  });

  test('refresh() with a missing or malformed access token proceeds with the refresh token (difference refresh-unreadable-access-token)', async () => {
    for (const [label, data] of [
      ['not a JWT', sessionData('abc')],
      ['no accessToken', { user: ADA, refreshToken: 'ref_accent' }],
      ['accessToken ""', sessionData('', { refreshToken: 'ref_cjk' })],
    ]) {
      const cookie = seal(data, PW);
      const mark = refreshRequests().length;
      const run = await both((c) => refresh(c, cookie));
      assert.equal(errorOf(run.official, label).constructor.name, 'JWTInvalid', label);
      const ours = valueOf(run.native, label);
      assert.equal(ours.authenticated, true, label);
      assert.equal(ours.session.refreshToken, `${data.refreshToken}_next`);
      const sent = refreshRequests().slice(mark);
      assert.equal(sent.length, 1, `${label}: only workos-native sent a request`);
      assert.equal(sent[0].json.refresh_token, data.refreshToken);
      assert.equal('organization_id' in sent[0].json, false, 'no org to carry over');
      // With an organizationId it is asked for.
      const withOrg = await refresh(clients().native, cookie, PW, { organizationId: 'org_other' });
      assert.equal(withOrg.organizationId, 'org_other');
    }
  });
});

// ---------------------------------------------------------------------------------------

describe('JWKS', () => {
  test('fetched once per client across many authentications (sequential, concurrent, both entry points)', async () => {
    const cookie = cookieFor(goodToken());
    const counts = {};
    for (const side of ['official', 'native']) {
      const client = clients()[side];
      const before = jwksRequests();
      const sequential = [];
      for (let i = 0; i < 5; i++) sequential.push(await authenticate(client, cookie));
      const concurrent = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? authenticate(client, cookie) : withSessionCookie(client, cookie))));
      for (const r of [...sequential, ...concurrent]) assert.equal(r.authenticated, true, side);
      // Refresh and logout URLs share the cache.
      await logoutUrl(client, cookie);
      await refresh(client, cookie);
      counts[side] = jwksRequests() - before;
    }
    assert.deepStrictEqual(counts, { official: 1, native: 1 });

    // A cold native client whose first calls are concurrent still sends one request.
    const cold = clients().native;
    const before = jwksRequests();
    await Promise.all(Array.from({ length: 25 }, () => withSessionCookie(cold, cookie)));
    assert.equal(jwksRequests() - before, 1);
  });

  test('each client has its own cache; cookies that fail before the token check fetch nothing', async () => {
    const cookie = cookieFor(goodToken());
    const before = jwksRequests();
    const a = clients().native;
    const b = clients().native;
    for (const c of [a, b, a, b]) assert.equal((await authenticate(c, cookie)).authenticated, true);
    assert.equal(jwksRequests() - before, 2);

    const c = clients().native;
    const mark = jwksRequests();
    for (const data of ['', 'garbage', cookieFor(goodToken(), {}, OTHER_PASSWORD), seal({ user: ADA }, PW)]) await authenticate(c, data);
    assert.equal(jwksRequests() - mark, 0);
  });

  test('an unknown kid does not refetch within 5 minutes (a key added meanwhile stays unknown), as official', async () => {
    const current = cookieFor(goodToken());
    const rotated = cookieFor(accessToken(ROTATED_KEY, { sub: 'user_ascii' }));
    try {
      const counts = {};
      for (const side of ['official', 'native']) {
        routeMock();
        const client = clients()[side];
        assert.equal((await authenticate(client, current)).authenticated, true);
        // The key set now has the rotated key too; the cached one does not.
        mock.route('GET', JWKS_PATH, { json: jwks(KEY, ROTATED_KEY) });
        for (let i = 0; i < 5; i++) {
          const r = await settle(() => authenticate(client, rotated));
          if (side === 'native') assertSame(valueOf(r), { authenticated: false, reason: 'invalid_jwt' });
          else assert.equal(errorOf(r).constructor.name, 'JWKSNoMatchingKey');
        }
        assert.equal((await authenticate(client, current)).authenticated, true);
        counts[side] = jwksRequests();
      }
      assert.deepStrictEqual(counts, { official: 1, native: 1 });

      // A client whose first token has the new kid fetches once, then knows it.
      routeMock();
      mock.route('GET', JWKS_PATH, { json: jwks(KEY, ROTATED_KEY) });
      const fresh = clients().native;
      assert.equal((await authenticate(fresh, rotated)).authenticated, true);
      assert.equal((await authenticate(fresh, current)).authenticated, true);
      assert.equal(jwksRequests(), 1);
      // And a client whose very first token has an unknown kid fetches once, not again.
      routeMock();
      const unlucky = clients().native;
      for (let i = 0; i < 3; i++) assert.equal((await authenticate(unlucky, rotated)).reason, 'invalid_jwt');
      assert.equal(jwksRequests(), 1);
    } finally {
      routeMock();
    }
  });

  test('the JWKS request: GET /sso/jwks/{clientId}, no Authorization, workos-native User-Agent (difference jwks-request-headers)', async () => {
    routeMock();
    const { native } = clients(mock, { appInfo: { name: 'myapp', version: '1.2.3' } });
    await authenticate(native, cookieFor(goodToken()));
    const [req] = mock.requests.filter((r) => r.path === JWKS_PATH);
    assert.equal(req.method, 'GET');
    assert.equal(req.query, '');
    assert.equal(req.headers.authorization, undefined);
    assert.equal(req.headers['user-agent'], `workos-native/${require('../package.json').version} (node/${process.version}) myapp: 1.2.3`);
  });

  test('a JWKS that cannot be fetched rejects (in both), is not cached, and the next call fetches again', async () => {
    const cookie = cookieFor(goodToken());
    try {
      mock.reset();
      mock.route('GET', JWKS_PATH, { status: 404, json: { message: 'Not Found' } });
      const pair = clients();
      const run = await both((c) => authenticate(c, cookie), pair);
      errorOf(run.official, 'official');
      errorOf(run.native, 'native');
      routeMock();
      const again = assertEqualOutcomes(await both((c) => authenticate(c, cookie), pair));
      assert.equal(valueOf(again.native).authenticated, true);
    } finally {
      routeMock();
    }
  });
});

// ---------------------------------------------------------------------------------------
// Sealed contents the SDK itself never writes but that open in it: workos-native must read them
// the same way (these are not listed differences).

describe('parity for unusual but authentic cookies', () => {
  test('a MAC in another base64 spelling the official SDK accepts (trailing bits set, mixed alphabets) opens the same', async () => {
    // A cookie whose MAC has at least two of the url-only characters '-' and '_', so that a
    // spelling mixing both alphabets exists.
    let cookie;
    do cookie = cookieFor(goodToken());
    while ((sealParts(cookie).parts[7].match(/[-_]/g) ?? []).length < 2);
    const { parts, suffix } = sealParts(cookie);
    const mac = parts[7];
    const last = B64URL.indexOf(mac.at(-1));
    const spellings = {
      // The last of 43 characters carries 4 bits of the MAC; its 2 low bits are padding.
      'trailing bits set': `${mac.slice(0, -1)}${B64URL[(last & ~3) | ((last + 1) & 3)]}`,
      'mixed alphabets': mixedAlphabets(mac),
    };
    for (const [label, spelled] of Object.entries(spellings)) {
      assert.notEqual(spelled, mac, label);
      assert.deepStrictEqual(Buffer.from(spelled, 'base64'), Buffer.from(mac, 'base64url'), label);
      const changed = joinSeal(parts.map((x, j) => (j === 7 ? spelled : x)), suffix);
      const run = await both((c) => authenticate(c, changed));
      if (label === 'mixed alphabets' && !OFFICIAL_BASE64.mixedAlphabets) {
        // The oracle's decoder on this runtime takes base64url only (tokens.mjs, OFFICIAL_BASE64):
        // it throws; workos-native opens the same MAC bytes as it does on every runtime.
        assert.equal(errorOf(run.official, `official ${label}`).constructor.name, OFFICIAL_BASE64.errorClass, label);
        assert.equal(valueOf(run.native, label).authenticated, true, label);
        continue;
      }
      assert.equal(valueOf(run.official, `official ${label}`).authenticated, true, label);
      assertEqualOutcomes(run, label);
    }
  });

  test('version suffixes that are not numbers ("~", "~x") read `persistent` as the official SDK does', async () => {
    const token = goodToken();
    const inner = sessionData(token);
    for (const [data, suffix, expected] of [
      [{ ...inner, persistent: { foo: 1 } }, '~', { foo: 1 }],
      [{ ...inner, persistent: { foo: 1 } }, '~x', { foo: 1 }],
      [{ persistent: inner }, '~', inner],
      [{ ...inner, persistent: 'text' }, '~3', 'text'],
    ]) {
      const cookie = seal(data, PW, { suffix });
      const run = await both((c) => fromCookie(c, cookie));
      assert.deepStrictEqual(valueOf(run.official), expected, `official ${suffix}`);
      assertEqualOutcomes(run, `${suffix} ${JSON.stringify(expected).slice(0, 30)}`);
    }
  });

  test('getSessionFromCookie returns sealed JSON that is not an object as is', async () => {
    for (const value of [[1, 2], 'text', 42, false, true]) {
      const cookie = seal(value, PW);
      const run = await both((c) => fromCookie(c, cookie));
      assert.deepStrictEqual(valueOf(run.official), value);
      assertEqualOutcomes(run, JSON.stringify(value));
    }
  });

  test('an accessToken that is not a string is invalid_jwt, as official (not invalid_session_cookie)', async () => {
    for (const token of [5, true, { a: 1 }, ['x']]) {
      const cookie = seal(sessionData(token), PW);
      for (const entry of [authenticate, withSessionCookie]) {
        const run = await both((c) => entry(c, cookie));
        assert.deepStrictEqual(valueOf(run.official), { authenticated: false, reason: 'invalid_jwt' });
        assertEqualOutcomes(run, `${entry.name} ${JSON.stringify(token)}`);
      }
    }
  });

  test('refresh() accepts a cookie whose user is any truthy value, as official', async () => {
    for (const user of ['user_ascii', 7, ['x']]) {
      const cookie = seal(sessionData(goodToken(), { user }), PW);
      const run = await both((c) => refresh(c, cookie));
      assert.equal(valueOf(run.official).authenticated, true);
      assert.deepStrictEqual(valueOf(run.official).user, user);
      const blankSeal = (r) => (r.authenticated ? { ...r, sealedSession: '<sealed>', session: { ...r.session, sealedSession: '<sealed>' } } : r);
      assertSame(blankSeal(valueOf(run.native)), blankSeal(valueOf(run.official)), JSON.stringify(user));
    }
  });

  test('refresh() with sessionData undefined or null: official throws, workos-native answers invalid_session_cookie (listed difference)', async () => {
    // 8.13.0 runs unsealData(undefined), which throws TypeError "Cannot read properties of
    // undefined (reading 'split')"; the difference 'malformed-cookie-no-throw' lists the answer.
    assert.match(DIFFERENCES.find((d) => d.id === 'malformed-cookie-no-throw').native, /refresh\(\) without a cookie too/);
    for (const data of [undefined, null]) {
      const run = await both((c) => refresh(c, data));
      assert.equal(errorOf(run.official).constructor, TypeError);
      assert.deepEqual(valueOf(run.native), { authenticated: false, reason: 'invalid_session_cookie' }, String(data));
    }
  });

  test('a seal expiring beyond 2^63 ms (valid for iron) opens, as official', async () => {
    const cookie = cookieFor(goodToken(), {}, PW, { expiration: '99999999999999999999' });
    const run = await both((c) => authenticate(c, cookie));
    assert.equal(valueOf(run.official).authenticated, true);
    assertEqualOutcomes(run);
  });

  test('seals with an expiration: within the 60 s skew they open, past it they are invalid, in both', async () => {
    for (const [offset, opens] of [[3_600_000, true], [-30_000, true], [-120_000, false]]) {
      const cookie = cookieFor(goodToken(), {}, PW, { expiration: String(Date.now() + offset) });
      const run = assertEqualOutcomes(await both((c) => authenticate(c, cookie)), String(offset));
      assert.equal(valueOf(run.native).authenticated, opens, String(offset));
    }
  });
});

/** The same bytes as `mac` (base64url with at least two '-' or '_'), one of them in the standard alphabet. */
function mixedAlphabets(mac) {
  const i = mac.search(/[-_]/);
  return mac.slice(0, i) + (mac[i] === '-' ? '+' : '/') + mac.slice(i + 1);
}
