// The child process of hostile-input.test.mjs: walks every public entry point with hostile
// values in every argument position and writes one JSON line per call to the file named by
// argv[2] (written synchronously, so a crash leaves the call in flight as the last line).
//
//   node __test__/helpers/hostile-input-child.mjs <out.ndjson> [--long] [--shard=i/n]
//
// Entry points: every method on the prototypes of workos.organizations, .userManagement and
// .auditLogs (found by reflection; one without a baseline below is reported as uncovered), the
// WorkOS constructor, createGuards and what it returns (factories and middleware), and the
// CookieSession that loadSealedSession returns (its methods, and its public fields set to
// hostile values). Positions: each top-level argument (plus one past the last), and every field
// of the baseline's option objects down to depth 3.
//
// Line types: {type:'start'}, {type:'call', id, target, position, value} before each call,
// {type:'result', id, …outcome} after it, {type:'baseline', target, …}, {type:'end', …}.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { startMock } from './mock-server.mjs';
import { PASSWORD, OTHER_PASSWORD, jwt, rsaKey, sealCookie, wireUser } from './session-kit.mjs';

const require = createRequire(import.meta.url);
const sdk = require('../../index.js');
const { WorkOS, createGuards, CookieSession, GuardError } = sdk;

const OUT = process.argv[2];
const LONG = process.argv.includes('--long');
// `--shard=i/n`: walk only the targets whose index is i modulo n (the test runs shards in parallel).
const [SHARD, SHARDS] = (process.argv.find((a) => a.startsWith('--shard='))?.slice(8) ?? '0/1').split('/').map(Number);
const fd = fs.openSync(OUT, 'w');
const emit = (o) => fs.writeSync(fd, JSON.stringify(o) + '\n');

const unhandled = [];
process.on('unhandledRejection', (e) => unhandled.push(`unhandledRejection: ${describe(e)}`));
process.on('uncaughtException', (e) => unhandled.push(`uncaughtException: ${describe(e)}`));

function describe(e) {
  try {
    return e instanceof Error ? `${e.constructor.name}: ${String(e.message).slice(0, 200)}` : typeof e === 'object' ? `non-Error ${Object.prototype.toString.call(e)}` : `non-Error ${typeof e} ${String(e).slice(0, 80)}`;
  } catch {
    return 'undescribable';
  }
}

// ---------------------------------------------------------------------------------------
// Hostile values

/** Thrown by hostile getters and proxy traps; a call may rethrow it (the caller's own error). */
class HostileError extends Error {
  name = 'HostileError';
}
const boom = (what) => {
  throw new HostileError(`hostile ${what}`);
};

function deepObject(depth) {
  let o = { leaf: 'x' };
  for (let i = 0; i < depth; i++) o = { a: o };
  return o;
}
function deepArray(depth) {
  let a = ['x'];
  for (let i = 0; i < depth; i++) a = [a];
  return a;
}
function manyKeys(n) {
  const o = {};
  for (let i = 0; i < n; i++) o[`k${i}`] = i;
  return o;
}

const cache = new Map();
const once = (name, make) => () => {
  if (!cache.has(name)) cache.set(name, make());
  return cache.get(name);
};

/**
 * name → { make, where }: where a value goes. 'all' (default) every position; 'top' the
 * top-level arguments; 'sample' the positions in SAMPLE (every position with --long); 'one'
 * listOrganizations' first argument (top-level arguments with --long); 'long' the SAMPLE
 * positions with --long only. The costly values are the ones kept to a few positions. Fields
 * nested two levels or more get the CORE values only (all of them with --long).
 */
const VALUES = {
  undefined: { make: () => undefined },
  null: { make: () => null },
  true: { make: () => true },
  number: { make: () => 42 },
  negativeZero: { make: () => -0 },
  NaN: { make: () => NaN },
  Infinity: { make: () => -Infinity },
  emptyString: { make: () => '' },
  loneSurrogate: { make: () => 'org_\uD800' },
  crlf: { make: () => 'a\r\nX-Injected: 1' },
  nul: { make: () => 'a\u0000b' },
  dotdot: { make: () => '..' },
  traversal: { make: () => '../../user_management/users?x=1#f' },
  string64KB: { make: once('s64k', () => 'x'.repeat(64 * 1024)) },
  string1MB: { make: once('s1m', () => 'y'.repeat(1024 * 1024)), where: 'sample' },
  string10MB: { make: once('s10m', () => 'z'.repeat(10 * 1024 * 1024)), where: 'sample' },
  deepObject10k: { make: once('do', () => deepObject(10_000)) },
  deepArray10k: { make: once('da', () => deepArray(10_000)) },
  cyclicObject: {
    make: () => {
      const o = { name: 'x' };
      o.self = o;
      return o;
    },
  },
  cyclicArray: {
    make: () => {
      const a = ['x'];
      a.push(a);
      return a;
    },
  },
  symbol: { make: () => Symbol('hostile') },
  symbolKeyed: { make: () => ({ [Symbol('k')]: 'v', name: 'x' }) },
  bigint: { make: () => 12345678901234567890n },
  function: { make: () => () => 'x' },
  thenable: { make: () => ({ then: (resolve) => resolve('x') }) },
  throwingProxy: {
    make: () =>
      new Proxy(
        {},
        {
          get: () => boom('get'),
          has: () => boom('has'),
          ownKeys: () => boom('ownKeys'),
          getOwnPropertyDescriptor: () => boom('getOwnPropertyDescriptor'),
          getPrototypeOf: () => boom('getPrototypeOf'),
        },
      ),
  },
  getProxy: { make: () => new Proxy({ name: 'x' }, { get: () => boom('get') }) },
  revokedProxy: {
    make: () => {
      const r = Proxy.revocable({}, {});
      r.revoke();
      return r.proxy;
    },
  },
  throwingGetter: {
    make: () => Object.defineProperty({ other: 1 }, 'name', { enumerable: true, get: () => boom('getter') }),
  },
  throwingToString: { make: () => ({ toString: () => boom('toString'), valueOf: () => boom('valueOf') }) },
  keys100001: { make: once('k100k', () => manyKeys(100_001)), where: 'sample' },
  keys1e6: { make: once('k1m', () => manyKeys(1_000_000)), where: 'one' },
  elements100001: { make: once('e100k', () => new Array(100_001).fill('x')), where: 'top' },
  holes: {
    make: () => {
      const a = ['x', , 'z']; // eslint-disable-line no-sparse-arrays
      a.length = 10;
      return a;
    },
  },
  hugeSparseArray: { make: () => new Array(2 ** 32 - 1) },
  buffer16: { make: () => Buffer.from('0123456789abcdef') },
  buffer1MB: { make: once('b1m', () => Buffer.alloc(1024 * 1024)), where: 'long' },
  buffer10MB: { make: once('b10m', () => Buffer.alloc(10 * 1024 * 1024)), where: 'long' },
  invalidDate: { make: () => new Date(NaN) },
  boxedString: { make: () => new String('org_1') }, // eslint-disable-line no-new-wrappers
  map: { make: () => new Map([['name', 'x']]) },
  nullPrototype: { make: () => Object.assign(Object.create(null), { name: 'x', id: 'y' }) },
  protoPollution: { make: () => JSON.parse('{"__proto__":{"polluted":"yes"},"name":"x","constructor":{"prototype":{"polluted2":"yes"}}}') },
  error: { make: () => new Error('an error as an argument') },
  promise: { make: () => Promise.resolve('x') },
};

const CORE = new Set([
  'undefined', 'null', 'number', 'NaN', 'emptyString', 'loneSurrogate', 'crlf', 'string64KB', 'deepObject10k', 'cyclicObject',
  'symbol', 'bigint', 'function', 'throwingProxy', 'throwingGetter', 'revokedProxy', 'holes', 'protoPollution',
]);

/** The positions of the `sample` values (and, with --long, of the `long` ones). */
const SAMPLE = {
  'organizations.getOrganization': ['arg0'],
  'organizations.createOrganization': ['arg0.name'],
  'userManagement.listUsers': ['arg0.email'],
  'userManagement.loadSealedSession': ['arg0.sessionData'],
  'new WorkOS': ['arg0', 'arg1'],
};

/**
 * Skipped pairs, each proven by its own test instead: requireRole(...slugs) flattens its
 * arguments, and `[new Array(2 ** 32 - 1)].flat()` walks four billion holes (minutes), see
 * "requireRole with a huge sparse array" in hostile-input.test.mjs.
 */
const SKIP = { 'guards.requireRole': ['hugeSparseArray'] };

function valuesFor(target, position) {
  const top = /^arg\d+$/.test(position) || position.startsWith('this.');
  const sampled = (SAMPLE[target] ?? []).includes(position);
  const one = target === 'organizations.listOrganizations' && position === 'arg0';
  const deep = position.split('.').length > 2;
  return Object.entries(VALUES).filter(([name, v]) => {
    if ((SKIP[target] ?? []).includes(name)) return false;
    if (deep && !LONG && !CORE.has(name)) return false;
    switch (v.where ?? 'all') {
      case 'all':
        return true;
      case 'top':
        return top;
      case 'sample':
        return LONG || sampled;
      case 'one':
        return LONG ? top : one;
      case 'long':
        return LONG && sampled;
      default:
        return false;
    }
  });
}

// ---------------------------------------------------------------------------------------
// The mock API every call talks to

const mock = await startMock();
const signing = rsaKey('kid_hostile');
const token = jwt({ sid: 'session_1', org_id: 'org_A' }, { key: signing });
const sessionData = { accessToken: token, refreshToken: 'refresh_1', user: wireUser('user_1'), impersonator: undefined };
const cookie = sealCookie(sessionData, PASSWORD);
const foreignCookie = sealCookie(sessionData, OTHER_PASSWORD);

const GENERIC = {
  object: 'thing',
  id: 'thing_1',
  data: [],
  list_metadata: { before: null, after: null },
  keys: [signing.jwk],
  user: wireUser('user_1'),
  access_token: token,
  refresh_token: 'refresh_2',
  authentication_method: 'Password',
};
const membership = (org, status = 'active', role = 'member') => ({
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
// Registered first, so the specific routes below (found last-registered-first) win.
mock.route('*', /.*/, () => ({ json: GENERIC }));
mock.route('GET', '/user_management/organization_memberships', (req) => {
  const user = new URLSearchParams(req.query).get('user_id');
  const data = user === 'user_1' ? [membership('org_A')] : [];
  return { json: { object: 'list', data, list_metadata: { before: null, after: null } } };
});
mock.route('GET', /^\/organizations\/(org_A|org_B)$/, (req) => ({ json: { ...GENERIC, object: 'organization', id: req.match[1], name: req.match[1], domains: [] } }));
mock.route('GET', /^\/organizations\/(org_A|org_B)\/feature-flags$/, (req) => ({
  json: { object: 'list', data: [{ object: 'feature_flag', id: 'flag_1', slug: 'flag_on', enabled: req.match[1] === 'org_A' }], list_metadata: { before: null, after: null } },
}));

const clientOptions = () => ({ apiHostname: mock.hostname, port: mock.port, https: false, maxRetries: 0, timeout: 10_000, clientId: 'client_1' });
const workos = new WorkOS('sk_test_hostile', clientOptions());

// ---------------------------------------------------------------------------------------
// Targets: baselines, expected request paths, and how to call

const event = () => ({
  action: 'user.signed_in',
  version: 1,
  occurredAt: new Date('2024-01-01T00:00:00.000Z'),
  actor: { id: 'user_1', name: 'U', type: 'user', metadata: { k: 'v' } },
  targets: [{ id: 'team_1', type: 'team', name: 'T', metadata: { n: 1 } }],
  context: { location: '1.1.1.1', userAgent: 'ua' },
  metadata: { extra: true },
});

/** Per method: baseline arguments and the request paths it may make (`*` = one segment). */
const METHODS = {
  organizations: {
    listOrganizations: [() => [{ domains: ['a.com'], limit: 5, order: 'desc', after: 'org_0', before: null }], ['/organizations']],
    createOrganization: [() => [{ name: 'Acme', domainData: [{ domain: 'a.com', state: 'verified' }], externalId: 'ext_1', metadata: { k: 'v' } }, { idempotencyKey: 'idem_1', maxRetries: 0 }], ['/organizations']],
    deleteOrganization: [() => ['org_1'], ['/organizations/*']],
    getOrganization: [() => ['org_1'], ['/organizations/*']],
    getOrganizationByExternalId: [() => ['ext_1'], ['/organizations/external_id/*']],
    updateOrganization: [() => [{ organization: 'org_1', name: 'N', domainData: [{ domain: 'a.com', state: 'pending' }], stripeCustomerId: 'cus_1', externalId: 'e', metadata: { k: 'v' } }], ['/organizations/*']],
    listOrganizationRoles: [() => [{ organizationId: 'org_1' }], ['/organizations/*/roles']],
    listOrganizationFeatureFlags: [() => [{ organizationId: 'org_1', limit: 5, after: 'f_0' }], ['/organizations/*/feature-flags']],
    listOrganizationApiKeys: [() => [{ organizationId: 'org_1', limit: 5, order: 'asc' }], ['/organizations/*/api_keys']],
    createOrganizationApiKey: [() => [{ organizationId: 'org_1', name: 'key', permissions: ['read'] }, { idempotencyKey: 'idem_2' }], ['/organizations/*/api_keys']],
  },
  userManagement: {
    getUser: [() => ['user_1'], ['/user_management/users/*']],
    listUsers: [() => [{ email: 'a@example.com', organizationId: 'org_1', limit: 5, order: 'asc', after: 'user_0' }], ['/user_management/users']],
    createUser: [() => [{ email: 'a@example.com', password: 'pw-123456', firstName: 'A', lastName: 'B', emailVerified: true, externalId: 'e', metadata: { k: 'v' } }], ['/user_management/users']],
    updateUser: [() => [{ userId: 'user_1', email: 'b@example.com', firstName: 'A', lastName: null, emailVerified: false, locale: 'en', metadata: { k: null } }], ['/user_management/users/*']],
    deleteUser: [() => ['user_1'], ['/user_management/users/*']],
    getOrganizationMembership: [() => ['om_1'], ['/user_management/organization_memberships/*']],
    listOrganizationMemberships: [() => [{ userId: 'user_1', organizationId: 'org_1', statuses: ['active', 'pending'], limit: 5 }], ['/user_management/organization_memberships']],
    createOrganizationMembership: [() => [{ organizationId: 'org_1', userId: 'user_1', roleSlug: 'member' }], ['/user_management/organization_memberships']],
    updateOrganizationMembership: [() => ['om_1', { roleSlugs: ['admin', 'member'] }], ['/user_management/organization_memberships/*']],
    deleteOrganizationMembership: [() => ['om_1'], ['/user_management/organization_memberships/*']],
    deactivateOrganizationMembership: [() => ['om_1'], ['/user_management/organization_memberships/*/deactivate']],
    reactivateOrganizationMembership: [() => ['om_1'], ['/user_management/organization_memberships/*/reactivate']],
    getInvitation: [() => ['inv_1'], ['/user_management/invitations/*']],
    findInvitationByToken: [() => ['tok_1'], ['/user_management/invitations/by_token/*']],
    listInvitations: [() => [{ email: 'a@example.com', organizationId: 'org_1', limit: 5 }], ['/user_management/invitations']],
    sendInvitation: [() => [{ email: 'a@example.com', organizationId: 'org_1', expiresInDays: 7, inviterUserId: 'user_1', roleSlug: 'member', locale: 'en' }], ['/user_management/invitations']],
    acceptInvitation: [() => ['inv_1'], ['/user_management/invitations/*/accept']],
    revokeInvitation: [() => ['inv_1'], ['/user_management/invitations/*/revoke']],
    resendInvitation: [() => ['inv_1', { locale: 'en' }], ['/user_management/invitations/*/resend']],
    getJwksUrl: [() => ['client_1'], [], 'sync'],
    getLogoutUrl: [() => [{ sessionId: 'session_1', returnTo: 'https://example.com/bye' }], [], 'sync'],
    loadSealedSession: [() => [{ sessionData: cookie, cookiePassword: PASSWORD }], [], 'sync'],
    authenticateWithSessionCookie: [() => [{ sessionData: cookie, cookiePassword: PASSWORD }], ['/sso/jwks/*']],
    getSessionFromCookie: [() => [{ sessionData: cookie, cookiePassword: PASSWORD }], []],
    authenticateWithRefreshToken: [
      () => [{ refreshToken: 'refresh_1', clientId: 'client_1', organizationId: 'org_A', ipAddress: '1.1.1.1', userAgent: 'ua', session: { sealSession: true, cookiePassword: PASSWORD } }],
      ['/user_management/authenticate'],
    ],
  },
  auditLogs: {
    createEvent: [() => ['org_1', event(), { idempotencyKey: 'idem_3' }], ['/audit_logs/events']],
  },
};

const targets = [];
const uncovered = [];

for (const [module, table] of Object.entries(METHODS)) {
  const proto = Object.getPrototypeOf(workos[module]);
  const methods = Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, n).value === 'function');
  for (const method of methods) {
    const spec = table[method];
    if (!spec) {
      uncovered.push(`${module}.${method}`);
      continue;
    }
    const [baseline, paths, kind = 'async'] = spec;
    targets.push({ name: `${module}.${method}`, kind, baseline, paths, invoke: (args) => workos[module][method](...args) });
  }
  for (const method of Object.keys(table)) {
    if (!methods.includes(method)) uncovered.push(`${module}.${method} (in the table, not on the prototype)`);
  }
}

// A client the constructor accepted, still pointed at the mock, makes one call: whatever
// the hostile option did (a header, the User-Agent, the timeout…) must not break or inject.
targets.push({
  name: 'new WorkOS',
  kind: 'sync',
  baseline: () => ['sk_test_ctor', { ...clientOptions(), config: { headers: { 'X-Extra': '1' } }, appInfo: { name: 'app', version: '1.0.0' }, timeout: 5000, maxRetries: 1 }],
  paths: ['/organizations/*'],
  invoke: (args) => {
    const client = new WorkOS(...args);
    return client.baseURL === mock.url ? client.organizations.getOrganization('org_1') : client;
  },
});

// CookieSession: its methods, with hostile arguments or hostile public fields (`this.*`).
const sessionOf = (self) => {
  const s = workos.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: PASSWORD });
  Object.assign(s, self);
  return s;
};
for (const [method, baseline, paths] of [
  ['authenticate', () => [], ['/sso/jwks/*']],
  ['refresh', () => [{ organizationId: 'org_A', cookiePassword: PASSWORD }], ['/user_management/authenticate', '/sso/jwks/*']],
  ['getLogoutUrl', () => [{ returnTo: 'https://example.com/bye' }], ['/sso/jwks/*']],
]) {
  targets.push({
    name: `CookieSession.${method}`,
    kind: 'async',
    baseline,
    paths,
    self: { sessionData: cookie, cookiePassword: PASSWORD },
    invoke: (args, self) => sessionOf(self)[method](...args),
  });
}
{
  const protoMethods = Object.getOwnPropertyNames(CookieSession.prototype).filter((n) => n !== 'constructor');
  for (const m of protoMethods) if (!targets.some((t) => t.name === `CookieSession.${m}`)) uncovered.push(`CookieSession.${m}`);
}

// createGuards and what it returns.
const guardOptions = () => ({ organizationHeader: 'x-organization-id', cacheTtlMs: 0, negativeCacheTtlMs: 0, maxEntries: 100, getUserId: (req) => req.user?.id, resolveOrganizationId: undefined, onError: 'next' });
targets.push({ name: 'createGuards', kind: 'sync', baseline: () => [workos, guardOptions()], paths: [], invoke: (args) => createGuards(...args) });
const guards = createGuards(workos, guardOptions());
const guardsDefault = createGuards(workos, { cacheTtlMs: 0, negativeCacheTtlMs: 0 });
for (const [name, baseline, invoke] of [
  ['guards.requireAuth', () => [{ cookieName: 'wos-session', cookiePassword: PASSWORD }], (args) => guards.requireAuth(...args)],
  ['guards.requireRole', () => ['admin', 'owner'], (args) => guards.requireRole(...args)],
  ['guards.requireFeature', () => ['flag_on'], (args) => guards.requireFeature(...args)],
  ['guards.invalidate', () => [{ userId: 'user_1', organizationId: 'org_A' }], (args) => guards.invalidate(...args)],
]) {
  targets.push({ name, kind: 'sync', baseline, paths: [], invoke });
}

/**
 * Middleware, called with a fake (req, res, next). `deny`: the baseline request is refused, so
 * no hostile value may turn it into a pass. Resolves to { settled: 'next' | 'next(err)' |
 * 'response', status, count } once it has settled and had a moment to settle twice.
 */
function runMiddleware(mw, req) {
  return new Promise((resolve, reject) => {
    const seen = [];
    const res = {
      statusCode: 200,
      headers: {},
      status(code) {
        this.statusCode = code;
        return this;
      },
      json() {
        seen.push({ settled: 'response', status: this.statusCode });
        return this;
      },
      cookie(name, value) {
        this.headers[`set-cookie:${name}`] = value;
      },
      setHeader(k, v) {
        this.headers[k] = v;
      },
      getHeader(k) {
        return this.headers[k];
      },
    };
    const next = (err) => seen.push(err === undefined ? { settled: 'next' } : { settled: 'next(err)', status: err?.status, error: describe(err) });
    try {
      mw(req, res, next);
    } catch (e) {
      reject(e);
      return;
    }
    // Settled once it has answered; a second answer would come from the same burst of
    // callbacks, so a short wait after the first shows it.
    const started = Date.now();
    const poll = () => {
      if (seen.length > 0) setTimeout(() => setImmediate(() => resolve({ ...seen[0], count: seen.length })), 1);
      else if (Date.now() - started > 8000) resolve({ settled: 'never', count: 0 });
      else setImmediate(poll);
    };
    poll();
  });
}

const authMw = guards.requireAuth({ cookiePassword: PASSWORD });
const authMwDefault = guardsDefault.requireAuth({ cookiePassword: PASSWORD });
const roleMw = guards.requireRole('admin', 'owner');
const featureMw = guards.requireFeature('flag_on');
const middlewares = [
  // Forged organization header: user_1 is a member of org_A only.
  ['mw.requireOrganization(forged org)', 'deny', () => [{ headers: { 'x-organization-id': 'org_B' }, user: { id: 'user_1' } }], guards.requireOrganization],
  ['mw.requireOrganization(member)', 'allow', () => [{ headers: { 'x-organization-id': 'org_A' }, user: { id: 'user_1' } }], guards.requireOrganization],
  ['mw.requireOrganization(onError default)', 'deny', () => [{ headers: { 'x-organization-id': 'org_B' }, user: { id: 'user_1' } }], guardsDefault.requireOrganization],
  ['mw.requireRole(member is not admin)', 'deny', () => [{ membership: { status: 'active', role: { slug: 'member' }, roles: [{ slug: 'member' }] } }], roleMw],
  ['mw.requireFeature(flag off)', 'deny', () => [{ organization: { id: 'org_B' } }], featureMw],
  ['mw.requireAuth(foreign cookie)', 'deny', () => [{ headers: { cookie: `wos-session=${foreignCookie}` } }], authMw],
  ['mw.requireAuth(valid cookie)', 'allow', () => [{ headers: { cookie: `wos-session=${cookie}` } }], authMw],
  ['mw.requireAuth(onError default)', 'deny', () => [{ headers: { cookie: 'wos-session=garbage' } }], authMwDefault],
];
for (const [name, expect, baseline, mw] of middlewares) {
  targets.push({ name, kind: 'middleware', expect, baseline, paths: ['/user_management/organization_memberships', '/organizations/*', '/organizations/*/feature-flags', '/sso/jwks/*', '/user_management/authenticate'], invoke: (args) => runMiddleware(mw, args[0]) });
}

// ---------------------------------------------------------------------------------------
// Positions

const isPlain = (v) => v !== null && typeof v === 'object' && !(v instanceof Date) && (Object.getPrototypeOf(v) === Object.prototype || Array.isArray(v));

/** Every position of a baseline: `argN`, one past the last, and nested fields to depth 3. */
function positionsOf(args, self) {
  const out = [];
  for (let i = 0; i <= args.length; i++) out.push(`arg${i}`);
  const walk = (value, path, depth) => {
    if (depth > 3 || !isPlain(value)) return;
    for (const key of Object.keys(value)) {
      out.push(`${path}.${key}`);
      walk(value[key], `${path}.${key}`, depth + 1);
    }
  };
  args.forEach((a, i) => walk(a, `arg${i}`, 1));
  for (const key of Object.keys(self ?? {})) out.push(`this.${key}`);
  return out;
}

/** The baseline with `value` put at `position`; returns [args, self]. */
function place(args, self, position, value) {
  const parts = position.split('.');
  if (parts[0] === 'this') return [args, { ...self, [parts[1]]: value }];
  const i = Number(parts[0].slice(3));
  if (parts.length === 1) {
    const copy = [...args];
    while (copy.length < i) copy.push(undefined);
    copy[i] = value;
    return [copy, self];
  }
  let node = args[i];
  for (const key of parts.slice(1, -1)) node = node[key];
  node[parts[parts.length - 1]] = value;
  return [args, self];
}

// ---------------------------------------------------------------------------------------
// Running one call

const EXCEPTIONS = Object.entries(sdk).filter(([n, v]) => typeof v === 'function' && /Exception$|^ParseError$/.test(n));
const KNOWN_PLAIN = [
  /^WorkOS requires either an API key or a clientId/,
  /^Cookie password is required$/,
  /^cookiePassword is required$/,
  /^Password string too short/,
  /^Failed to extract session ID for logout URL/,
  /^Must provide clientId/,
  /^Missing client ID/,
  /^Session sealing requires server-side usage/,
];

function classify(e) {
  if (e instanceof HostileError) return 'hostile';
  if (e instanceof GuardError) return 'GuardError';
  if (e instanceof TypeError) return 'TypeError';
  for (const [name, C] of EXCEPTIONS) if (e instanceof C) return `exception:${name}`;
  if (e instanceof Error && e.constructor === Error && /^Unexpected error: /.test(e.message)) return 'unexpected';
  if (e instanceof Error && e.constructor === Error && KNOWN_PLAIN.some((re) => re.test(e.message))) return 'plain';
  return 'other';
}

const pathOk = (path, templates) => templates.some((t) => new RegExp(`^${t.replace(/[.?+^$()[\]{}|\\]/g, '\\$&').replace(/\*/g, '[^/]+')}$`).test(path));

const tick = () => new Promise((r) => setImmediate(r));
let nextId = 0;

async function runCall(target, position, valueName, args, self) {
  const id = ++nextId;
  emit({ type: 'call', id, target: target.name, position, value: valueName });
  const before = mock.requests.length;
  const t0 = performance.now();
  let outcome;
  let sync = false;
  let value;
  let error;
  try {
    const r = target.invoke(args, self);
    if (target.kind === 'async' && !(r instanceof Promise)) {
      outcome = 'not-a-promise';
    } else if (r instanceof Promise) {
      const timeout = new Promise((resolve) => setTimeout(() => resolve({ timedOut: true }), 15_000).unref());
      const settled = await Promise.race([r.then((v) => ({ v }), (e) => ({ e })), timeout]);
      if (settled.timedOut) outcome = 'timeout';
      else if ('e' in settled) {
        outcome = 'rejected';
        error = settled.e;
      } else {
        outcome = 'resolved';
        value = settled.v;
      }
    } else {
      outcome = 'returned';
      value = r;
    }
  } catch (e) {
    sync = true;
    outcome = 'threw';
    error = e;
  }
  const ms = performance.now() - t0;
  await tick();
  const requests = mock.requests.slice(before);
  const record = {
    type: 'result',
    id,
    target: target.name,
    position,
    value: valueName,
    outcome,
    sync,
    ms: Math.round(ms),
    requests: requests.length,
    badPaths: requests.map((r) => r.path).filter((p) => !pathOk(p, target.paths)).map((p) => p.slice(0, 120)),
    injectedHeader: requests.some((r) => 'x-injected' in r.headers),
  };
  if (error !== undefined) {
    record.class = classify(error);
    record.error = describe(error);
  }
  if (target.kind === 'middleware' && value) {
    record.settled = value.settled;
    record.settleCount = value.count;
    record.status = value.status;
  }
  emit(record);
  return record;
}

// ---------------------------------------------------------------------------------------
// Main

emit({ type: 'start', long: LONG, shard: SHARD, pid: process.pid, targets: targets.map((t) => ({ name: t.name, kind: t.kind, expect: t.expect })), uncovered });

for (const [index, target] of targets.entries()) {
  if (index % SHARDS !== SHARD) continue;
  // The baseline must work, or the hostile calls prove nothing.
  const base = await runCall(target, 'baseline', 'baseline', target.baseline(), target.self);
  emit({ type: 'baseline', target: target.name, ok: base.outcome === 'resolved' || base.outcome === 'returned', record: base });
  for (const position of positionsOf(target.baseline(), target.self)) {
    for (const [valueName, { make }] of valuesFor(target.name, position)) {
      const [args, self] = place(target.baseline(), target.self, position, make());
      await runCall(target, position, valueName, args, self);
    }
  }
}

// Late rejections and stray callbacks get a moment to show up.
await new Promise((r) => setTimeout(r, 300));
emit({ type: 'end', unhandled, polluted: ({}).polluted !== undefined || ({}).polluted2 !== undefined || Object.prototype.hasOwnProperty('polluted'), requests: mock.requests.length });
fs.closeSync(fd);
await mock.close();
process.exit(0);
