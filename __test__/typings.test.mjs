// The typings (index.d.ts) checked by the TypeScript compiler and against the runtime:
// - tsc (node_modules/.bin/tsc, in a child process) on the seed's examples (__test__/types/seed.ts,
//   not --strict), on a typed use of every export (every-export.ts, --strict), and on deliberate
//   misuse (wrong-usage.ts), which must fail with exactly the errors marked in it;
// - the declarations read with the compiler API and compared with what the package really
//   exports, the methods its objects really have, and the fields of the objects it really
//   returns (from WorkOS's local emulator).
// __test__/package.test.mjs checks the same typings through the installed, packed package.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startEmulator, startOverlay } from './helpers/emulator.mjs';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const pkg = require('../index.js');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TYPES = path.join(ROOT, '__test__', 'types');
const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');
const INDEX_DTS = path.join(ROOT, 'index.d.ts');

/** Runs tsc; resolves to its exit code, output and parsed `file(line,col): error TSn` lines. */
function tsc(args, cwd = ROOT) {
  return new Promise((resolve, reject) => {
    execFile(TSC, [...args, '--pretty', 'false'], { cwd, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      const output = `${stdout}${stderr}`;
      const errors = [];
      for (const line of output.split('\n')) {
        const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
        if (m) errors.push({ file: path.resolve(cwd, m[1]), line: Number(m[2]), column: Number(m[3]), code: m[4], message: m[5] });
      }
      resolve({ code: error ? error.code : 0, output, errors });
    });
  });
}

describe('tsc', () => {
  test("the seed's TypeScript examples compile against workos-native (without --strict)", async () => {
    const r = await tsc(['-p', path.join(TYPES, 'tsconfig.seed.json'), '--noEmit', '--listFiles']);
    assert.equal(r.errors.length, 0, r.output);
    assert.equal(r.code, 0, r.output);
    // Really checked against this package's typings, with Express's types.
    const files = r.output.split('\n').map((l) => path.resolve(l.trim()));
    for (const f of [INDEX_DTS, path.join(TYPES, 'seed.ts'), path.join(TYPES, 'seed-env.d.ts')]) assert.ok(files.includes(f), `${f} is in the program`);
    assert.ok(files.some((f) => f.endsWith(path.join('@types', 'express', 'index.d.ts'))), "Express's types are in the program");
  });

  test('every export used with its types compiles under --strict', async () => {
    const r = await tsc(['-p', path.join(TYPES, 'tsconfig.json'), '--noEmit', '--strict']);
    assert.equal(r.errors.length, 0, r.output);
    assert.equal(r.code, 0, r.output);
  });

  test('wrong usage fails with exactly the marked errors', async () => {
    const file = path.join(TYPES, 'wrong-usage.ts');
    const expected = [];
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        for (const m of text.matchAll(/\/\/ error (TS\d+)/g)) expected.push(`${i + 1}: ${m[1]}`);
      });
    assert.ok(expected.length >= 15, `wrong-usage.ts marks its errors (found ${expected.length})`);
    const r = await tsc(['-p', path.join(TYPES, 'tsconfig.wrong.json'), '--noEmit', '--strict']);
    assert.notEqual(r.code, 0, 'tsc fails');
    for (const e of r.errors) assert.equal(e.file, file, `no error outside wrong-usage.ts:\n${r.output}`);
    const got = r.errors.map((e) => `${e.line}: ${e.code}`);
    assert.deepEqual(got.toSorted(), expected.toSorted(), r.output);
  });
});

// ---------------------------------------------------------------------------------------
// The declarations, read with the compiler API.

const program = ts.createProgram([INDEX_DTS], {
  strict: true,
  noEmit: true,
  types: [],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
});
const checker = program.getTypeChecker();
const declared = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(INDEX_DTS)));

function declaredSymbol(name) {
  const symbol = declared.find((s) => s.name === name);
  assert.ok(symbol, `index.d.ts exports ${name}`);
  return symbol;
}

const memberName = (p) => (p.name.startsWith('__@asyncIterator@') ? 'Symbol.asyncIterator' : p.name);
/** `name in obj`, for a name as memberName/runtimeMembers give it. */
const has = (obj, name) => (name === 'Symbol.asyncIterator' ? Symbol.asyncIterator : name) in obj;

/** The members of an exported interface or class (instances), with which are optional. */
function declaredMembers(name) {
  const props = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(declaredSymbol(name)));
  return {
    all: new Set(props.map(memberName)),
    required: new Set(props.filter((p) => !(p.flags & ts.SymbolFlags.Optional)).map(memberName)),
  };
}

/** Own and inherited names of a runtime object, down to (not including) Object/Error.prototype. */
function runtimeMembers(obj) {
  const names = new Set();
  for (let o = obj; o && o !== Object.prototype && o !== Error.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Reflect.ownKeys(o)) if (k !== 'constructor') names.add(typeof k === 'symbol' ? k.description : k);
  }
  return names;
}

/** Runtime members that are internal (not part of the API, so not typed). */
const INTERNAL = {
  Organizations: ['workos'],
  AuditLogs: ['workos'],
  // `native` is a getter exposing the native client, used by CookieSession.
  UserManagement: ['workos', 'native'],
};

function assertSameMembers(typeName, obj) {
  const internal = new Set(INTERNAL[typeName] ?? []);
  const runtime = [...runtimeMembers(obj)].filter((k) => !internal.has(k));
  const { all } = declaredMembers(typeName);
  const untyped = runtime.filter((k) => !all.has(k));
  assert.deepEqual(untyped, [], `${typeName}: runtime members missing from the typings`);
  // Error's own `stack`/`cause` may be absent at runtime; everything else typed must exist.
  const missing = [...all].filter((k) => !runtime.includes(k) && !['stack', 'cause'].includes(k) && !has(obj, k));
  assert.deepEqual(missing, [], `${typeName}: typed members missing at runtime`);
}

describe('typings match the runtime', () => {
  // The tsc runs above skip checking .d.ts files (for speed), so index.d.ts is checked here.
  test('index.d.ts itself has no errors', () => {
    const source = program.getSourceFile(INDEX_DTS);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source), ...program.getGlobalDiagnostics()];
    assert.deepEqual(
      diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      [],
    );
    // Express's types were found (an unresolved import would type the guards as `any`).
    assert.ok(program.getSourceFiles().some((f) => f.fileName.endsWith('/@types/express/index.d.ts')));
  });

  const workos = new pkg.WorkOS('sk_test_typings', { clientId: 'client_typings' });
  const COOKIE_PASSWORD = 'x'.repeat(32);

  test('every runtime export is declared, and every declared value exists at runtime', async () => {
    const values = declared.filter((s) => s.flags & ts.SymbolFlags.Value).map((s) => s.name);
    assert.deepEqual(values.toSorted(), Object.keys(pkg).toSorted());
    const esm = await import('../index.mjs');
    assert.deepEqual(
      Object.keys(esm).filter((k) => k !== 'default').toSorted(),
      values.toSorted(),
      'the ESM entry has the same named exports',
    );
  });

  test('the WorkOS client and its modules have exactly the typed members', () => {
    assertSameMembers('WorkOS', workos);
    assertSameMembers('Organizations', workos.organizations);
    assertSameMembers('UserManagement', workos.userManagement);
    assertSameMembers('AuditLogs', workos.auditLogs);
  });

  test('CookieSession, the guards and the exceptions have exactly the typed members', async () => {
    const session = workos.userManagement.loadSealedSession({ sessionData: 'not-a-cookie', cookiePassword: COOKIE_PASSWORD });
    assert.ok(session instanceof pkg.CookieSession);
    assertSameMembers('CookieSession', session);
    assert.deepEqual(await session.authenticate(), { authenticated: false, reason: 'invalid_session_cookie' });
    assert.deepEqual(await session.refresh(), { authenticated: false, reason: 'invalid_session_cookie' });

    assertSameMembers('Guards', pkg.createGuards(workos));

    const samples = {
      ApiKeyRequiredException: ['/organizations'],
      GenericServerException: [502, 'Bad gateway', {}, 'req_1'],
      BadRequestException: [{ code: 'invalid', errors: [{}], message: 'Bad', requestID: 'req_1' }],
      NoApiKeyProvidedException: [],
      NotFoundException: [{ code: 'not_found', path: '/x', requestID: 'req_1' }],
      OauthException: [400, 'req_1', 'invalid_grant', 'expired', {}],
      RateLimitExceededException: ['Slow down', 'req_1', 30],
      SignatureVerificationException: ['bad'],
      UnauthorizedException: ['req_1'],
      UnprocessableEntityException: [{ code: 'c', errors: [{ code: 'name_required' }], requestID: 'req_1' }],
      ConflictException: [{ error: 'conflict', requestID: 'req_1' }],
      ParseError: [{ message: 'm', rawBody: '<', rawStatus: 502, requestID: 'req_1' }],
      GuardError: [{ status: 500, code: 'upstream_unavailable', error: 'Failed', cause: new Error('down') }],
    };
    const classes = declared.filter((s) => s.flags & ts.SymbolFlags.Class && /Exception$|Error$/.test(s.name)).map((s) => s.name);
    assert.deepEqual(classes.toSorted(), Object.keys(samples).toSorted(), 'every exception class is sampled');
    for (const [name, args] of Object.entries(samples)) {
      const error = new pkg[name](...args);
      assert.ok(error instanceof Error, name);
      assertSameMembers(name, error);
    }
  });

  test('the enum-like constants have the typed values', () => {
    for (const name of [
      'DomainDataState',
      'OrganizationDomainState',
      'OrganizationDomainVerificationStrategy',
      'AuthenticateWithSessionCookieFailureReason',
      'RefreshSessionFailureReason',
    ]) {
      const type = checker.getTypeOfSymbol(declaredSymbol(name));
      const typed = Object.fromEntries(
        checker.getPropertiesOfType(type).map((p) => [p.name, JSON.parse(checker.typeToString(checker.getTypeOfSymbol(p)))]),
      );
      assert.deepEqual({ ...pkg[name] }, typed, name);
    }
  });

  test('every-export.ts imports every value export and calls every method', () => {
    const text = readFileSync(path.join(TYPES, 'every-export.ts'), 'utf8');
    const source = ts.createSourceFile('every-export.ts', text, ts.ScriptTarget.ES2022);
    const imported = new Set();
    for (const s of source.statements) {
      if (ts.isImportDeclaration(s) && s.moduleSpecifier.text === 'workos-native' && !s.importClause.isTypeOnly) {
        for (const e of s.importClause.namedBindings?.elements ?? []) imported.add(e.name.text);
      }
    }
    assert.deepEqual(
      Object.keys(pkg).filter((k) => !imported.has(k)),
      [],
      'value exports not imported by every-export.ts',
    );
    const methods = [
      ...runtimeMembers(workos.organizations),
      ...runtimeMembers(workos.userManagement),
      ...runtimeMembers(workos.auditLogs),
      ...Object.keys(pkg.createGuards(workos)),
      ...Reflect.ownKeys(pkg.CookieSession.prototype),
      'autoPagination',
    ].filter((k) => typeof k === 'string' && k !== 'constructor' && !Object.values(INTERNAL).flat().includes(k));
    assert.deepEqual(
      methods.filter((m) => !new RegExp(`\\b${m}\\b`).test(text)),
      [],
      'methods every-export.ts does not use',
    );
  });
});

describe('typed fields match the objects the API calls return', () => {
  let emu;
  let overlay;
  let workos;
  before(async () => {
    emu = await startEmulator({
      seed: {
        users: [{ email: 'ada@acme.com', first_name: 'Ada', last_name: 'L' }],
        organizations: [
          {
            name: 'Acme',
            external_id: 'ext_acme',
            domains: [{ domain: 'acme.com', state: 'verified' }],
            memberships: [{ user: 'ada@acme.com', role: 'admin' }],
          },
        ],
        invitations: [{ email: 'bob@acme.com', organization: 'Acme', inviter: 'ada@acme.com' }],
        featureFlags: [{ slug: 'beta', organizations: ['Acme'] }],
        organizationApiKeys: [{ organization: 'Acme', name: 'Seeded key' }],
      },
    });
    overlay = await startOverlay(emu);
    workos = new pkg.WorkOS(emu.apiKey, { apiHostname: overlay.hostname, port: overlay.port, https: false, maxRetries: 0 });
  });
  after(async () => {
    await overlay?.close();
    await emu?.close();
  });

  /** Every runtime key (own, enumerable or not) is typed; every required typed field is there. */
  function assertFields(typeName, obj) {
    assert.ok(obj && typeof obj === 'object', `${typeName}: an object`);
    const { all, required } = declaredMembers(typeName);
    const keys = Reflect.ownKeys(obj).map(String);
    assert.deepEqual(keys.filter((k) => !all.has(k)), [], `${typeName}: runtime fields missing from the typings`);
    assert.deepEqual([...required].filter((k) => !has(obj, k)), [], `${typeName}: required typed fields missing at runtime`);
  }

  test('organizations', async () => {
    const org = await workos.organizations.getOrganization(emu.ids.organizations.Acme);
    assertFields('Organization', org);
    assertFields('OrganizationDomain', org.domains[0]);
    const list = await workos.organizations.listOrganizations();
    assertFields('AutoPaginatable', list);
    assertFields('List', list.list);
    const roles = await workos.organizations.listOrganizationRoles({ organizationId: org.id });
    assertFields('RoleList', roles);
    assertFields('Role', roles.data[0]);
    const flags = await workos.organizations.listOrganizationFeatureFlags({ organizationId: org.id });
    assertFields('FeatureFlag', flags.data[0]);
    assert.equal(flags.data[0].key, flags.data[0].slug);
    const keys = await workos.organizations.listOrganizationApiKeys({ organizationId: org.id });
    assertFields('ApiKey', keys.data[0]);
    const created = await workos.organizations.createOrganizationApiKey({ organizationId: org.id, name: 'New key' });
    assertFields('CreatedApiKey', created);
    assert.equal(created.secret, created.value);
  });

  test('user management', async () => {
    const user = await workos.userManagement.getUser(emu.ids.users['ada@acme.com']);
    assertFields('User', user);
    const memberships = await workos.userManagement.listOrganizationMemberships({ userId: user.id });
    assertFields('OrganizationMembership', memberships.data[0]);
    assert.equal(memberships.data[0].roleSlug, memberships.data[0].role.slug);
    const invitations = await workos.userManagement.listInvitations({ organizationId: emu.ids.organizations.Acme });
    assertFields('Invitation', invitations.data[0]);
  });
});
