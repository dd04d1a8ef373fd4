// Packaging and module formats: the package as npm would publish it.
// - The npm/ platform packages are valid napi-rs platform packages for package.json's targets.
// - `npm pack` of the package and of the linux-x64-gnu platform package (a temp copy of
//   npm/linux-x64-gnu/ with the built binary) install into an empty project without network
//   (--offline, an empty cache, an unreachable registry), and there:
//   require() and import give the same objects, a call against WorkOS's local emulator works,
//   the binary comes from the platform package, and tsc resolves the typings through the
//   `exports` map.
// Reuses the build at the root (npm test builds it first). The install part packs the
// linux-x64-gnu platform package: the one this project's machines (and CI) load.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './helpers/emulator.mjs';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');
const rootPkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const BINARY_NAME = rootPkg.napi.binaryName;

function run(file, args, { cwd, env = {}, timeout = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env: { ...process.env, ...env }, timeout, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) {
        error.message += `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
        return reject(error);
      }
      resolve({ stdout, stderr });
    });
  });
}

/** `npm pack` of `dir` into `dest`; returns the tarball's path and its file list. */
async function pack(dir, dest) {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dest], { cwd: dir });
  const [info] = JSON.parse(stdout);
  return { tarball: path.join(dest, info.filename), files: info.files.map((f) => f.path).sort(), info };
}

// napi-rs's naming: a Rust target triple → its platform package suffix, os, cpu, libc.
function napiPlatform(triple) {
  const [archPart, , sysPart, abi] = triple.split('-');
  const cpu = { x86_64: 'x64', aarch64: 'arm64', i686: 'ia32', armv7: 'arm' }[archPart];
  const platform = { linux: 'linux', darwin: 'darwin', windows: 'win32' }[sysPart];
  assert.ok(cpu && platform, `known target ${triple}`);
  const suffix = [platform, cpu, ...(abi && abi !== 'darwin' ? [abi] : [])].join('-');
  const libc = platform === 'linux' ? { gnu: 'glibc', musl: 'musl' }[abi] : undefined;
  return { suffix, os: platform, cpu, libc };
}

describe('package.json', () => {
  test('the exports map gives types first, then import and require entries that exist and are packed', () => {
    const entry = rootPkg.exports['.'];
    assert.deepEqual(Object.keys(entry), ['types', 'import', 'require']);
    assert.equal(rootPkg.types, entry.types.replace(/^\.\//, ''));
    assert.equal(rootPkg.main, entry.require.replace(/^\.\//, ''));
    for (const target of Object.values(entry)) {
      assert.ok(existsSync(path.join(ROOT, target)), `${target} exists`);
      assert.ok(rootPkg.files.includes(target.replace(/^\.\//, '')), `${target} is in "files"`);
    }
  });

  test('npm/ holds a valid napi-rs platform package for every target, and native.js loads each', () => {
    const loader = readFileSync(path.join(ROOT, 'native.js'), 'utf8');
    const expected = rootPkg.napi.targets.map(napiPlatform);
    assert.deepEqual(readdirSync(path.join(ROOT, 'npm')).sort(), expected.map((p) => p.suffix).sort());
    for (const p of expected) {
      const dir = path.join(ROOT, 'npm', p.suffix);
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const binary = `${BINARY_NAME}.${p.suffix}.node`;
      assert.equal(pkg.name, `${rootPkg.name}-${p.suffix}`, `${p.suffix}: name`);
      assert.equal(pkg.version, rootPkg.version, `${p.suffix}: version`);
      assert.deepEqual(pkg.os, [p.os], `${p.suffix}: os`);
      assert.deepEqual(pkg.cpu, [p.cpu], `${p.suffix}: cpu`);
      assert.deepEqual(pkg.libc, p.libc && [p.libc], `${p.suffix}: libc`);
      assert.equal(pkg.main, binary, `${p.suffix}: main`);
      assert.deepEqual(pkg.files, [binary], `${p.suffix}: files`);
      assert.equal(pkg.license, rootPkg.license, `${p.suffix}: license`);
      assert.ok(loader.includes(`require('./${binary}')`), `native.js loads ./${binary}`);
      assert.ok(loader.includes(`require('${pkg.name}')`), `native.js loads ${pkg.name}`);
      // No binaries are kept in the repository's npm/ folder.
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.node')), [], `${p.suffix}: no binary in the repo`);
    }
  });
});

// The release steps of package.json's scripts (README, "Releasing"), run by napi-rs's CLI on a copy
// of package.json and npm/ in a scratch git repository, with placeholder files for the binaries
// (the CLI checks that each is there) and the platform packages' publishing skipped: nothing
// leaves the machine.
describe('releasing: the version and prepublishOnly scripts', () => {
  const NAPI = path.join(ROOT, 'node_modules', '.bin', 'napi');
  const platforms = rootPkg.napi.targets.map(napiPlatform);
  let tmp;

  /** The command of package.json's script `name`, as [file, args]. */
  const script = (name) => {
    const [bin, ...args] = rootPkg.scripts[name].split(' ');
    assert.equal(bin, 'napi', `${name} runs napi-rs's CLI`);
    return [NAPI, args];
  };
  const readJson = (...parts) => JSON.parse(readFileSync(path.join(tmp, ...parts), 'utf8'));

  const placeBinary = (p) => writeFileSync(path.join(tmp, 'npm', p.suffix, `${BINARY_NAME}.${p.suffix}.node`), 'placeholder');

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'workos-native-release-'));
    copyFileSync(path.join(ROOT, 'package.json'), path.join(tmp, 'package.json'));
    for (const p of platforms) {
      mkdirSync(path.join(tmp, 'npm', p.suffix), { recursive: true });
      for (const f of readdirSync(path.join(ROOT, 'npm', p.suffix))) copyFileSync(path.join(ROOT, 'npm', p.suffix, f), path.join(tmp, 'npm', p.suffix, f));
    }
    // napi prepublish reads the last commit.
    await run('git', ['init', '-q'], { cwd: tmp });
    await run('git', ['-c', 'user.email=release@test', '-c', 'user.name=release', 'commit', '-q', '--allow-empty', '-m', 'release'], { cwd: tmp });
  });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('`npm version` gives every platform package the new version', async () => {
    writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ ...readJson('package.json'), version: '9.8.7' }, null, 2));
    const [file, args] = script('version');
    await run(file, args, { cwd: tmp });
    for (const p of platforms) assert.equal(readJson('npm', p.suffix, 'package.json').version, '9.8.7', p.suffix);
  });

  test('prepublishOnly refuses while a platform package lacks its binary', async () => {
    const [file, args] = script('prepublishOnly');
    platforms.slice(1).forEach(placeBinary);
    const missing = `${BINARY_NAME}.${platforms[0].suffix}.node`;
    await assert.rejects(run(file, [...args, '--skip-optional-publish'], { cwd: tmp }), (err) => err.message.includes(`missing ${missing}`));
    assert.equal(readJson('package.json').optionalDependencies, undefined, 'package.json untouched');
  });

  test('with every binary, prepublishOnly pins each platform package as an optional dependency', async () => {
    const [file, args] = script('prepublishOnly');
    platforms.forEach(placeBinary);
    await run(file, [...args, '--skip-optional-publish'], { cwd: tmp });
    const { version, optionalDependencies } = readJson('package.json');
    assert.deepEqual(optionalDependencies, Object.fromEntries(platforms.map((p) => [`${rootPkg.name}-${p.suffix}`, version])));
  });
});

describe('the packed package, installed offline into an empty project', () => {
  const SUFFIX = 'linux-x64-gnu';
  const BUILT = path.join(ROOT, `${BINARY_NAME}.${SUFFIX}.node`);
  let tmp;
  let app;
  let mainPack;
  let platformPack;
  let emu;

  before(async () => {
    assert.ok(existsSync(BUILT), `${BUILT} is built (npm run build:debug)`);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'workos-native-package-'));
    const packs = path.join(tmp, 'packs');
    mkdirSync(packs);

    // The platform package: a copy of npm/linux-x64-gnu/ with the built binary in it. A debug
    // build's DWARF (~80% of it) is stripped from the copy, as the release profile strips
    // symbols, to keep packing fast; the code is the same.
    const platformDir = path.join(tmp, 'platform');
    mkdirSync(platformDir);
    for (const f of readdirSync(path.join(ROOT, 'npm', SUFFIX))) copyFileSync(path.join(ROOT, 'npm', SUFFIX, f), path.join(platformDir, f));
    const binary = path.join(platformDir, `${BINARY_NAME}.${SUFFIX}.node`);
    copyFileSync(BUILT, binary);
    if (statSync(binary).size > 40 << 20) await run('strip', ['--strip-debug', binary]).catch(() => {});

    [mainPack, platformPack] = await Promise.all([pack(ROOT, packs), pack(platformDir, packs)]);

    // An empty project, installing with no network: offline, an empty cache, and a registry
    // address nothing listens on.
    app = path.join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(tmp, 'npm-cache'), mainPack.tarball, platformPack.tarball], {
      cwd: app,
      env: { npm_config_registry: 'http://127.0.0.1:9/' },
    });

    emu = await startEmulator({ seed: { organizations: [{ name: 'Packed Org', external_id: 'ext_packed' }] } });
  });

  after(async () => {
    await emu?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('the tarballs hold the right files (the binary only in the platform package)', () => {
    const expected = ['README.md', 'package.json', ...rootPkg.files.filter((f) => !f.endsWith('/'))];
    for (const f of expected) assert.ok(mainPack.files.includes(f), `main package has ${f}`);
    for (const dir of rootPkg.files.filter((f) => f.endsWith('/'))) {
      const shipped = readdirSync(path.join(ROOT, dir)).map((f) => `${dir}${f}`);
      for (const f of shipped) assert.ok(mainPack.files.includes(f), `main package has ${f}`);
    }
    assert.deepEqual(mainPack.files.filter((f) => f.endsWith('.node')), [], 'no binary in the main package');
    assert.deepEqual(platformPack.files, ['README.md', 'package.json', `${BINARY_NAME}.${SUFFIX}.node`]);
  });

  test('require and import work, give the same objects, and load the platform package binary', async () => {
    writeFileSync(
      path.join(app, 'check.mjs'),
      `
import * as esm from 'workos-native';
import esmDefault from 'workos-native';
import { WorkOS } from 'workos-native';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const cjs = require('workos-native');
const keys = Object.keys(cjs);
console.log(JSON.stringify({
  cjsKeys: keys,
  esmKeys: Object.keys(esm).filter((k) => k !== 'default'),
  sameNamed: keys.filter((k) => esm[k] !== cjs[k]),
  defaultIsCjs: esmDefault === cjs,
  sameWorkOS: WorkOS === cjs.WorkOS,
  importResolves: import.meta.resolve('workos-native'),
  requireResolves: require.resolve('workos-native'),
  binaries: Object.keys(require.cache).filter((k) => k.endsWith('.node')),
}));
`,
    );
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: app });
    const r = JSON.parse(stdout);
    const local = require('../index.js');
    assert.deepEqual(r.cjsKeys, Object.keys(local));
    assert.deepEqual(r.esmKeys.toSorted(), r.cjsKeys.toSorted());
    assert.deepEqual(r.sameNamed, []);
    assert.equal(r.defaultIsCjs, true);
    assert.equal(r.sameWorkOS, true);
    const installed = path.join(app, 'node_modules', 'workos-native');
    assert.equal(fileURLToPath(r.importResolves), path.join(installed, 'index.mjs'));
    assert.equal(r.requireResolves, path.join(installed, 'index.js'));
    assert.deepEqual(r.binaries, [path.join(app, 'node_modules', `${rootPkg.name}-${SUFFIX}`, `${BINARY_NAME}.${SUFFIX}.node`)]);
  });

  test('a call against the emulator succeeds from the installed package (CommonJS and ESM)', async () => {
    const call = (modName) => `
const workos = new WorkOS(process.env.EMU_KEY, { apiHostname: '127.0.0.1', port: Number(process.env.EMU_PORT), https: false });
const list = await workos.organizations.listOrganizations();
const names = [];
for await (const org of list) names.push(org.name);
const org = await workos.organizations.getOrganizationByExternalId('ext_packed');
console.log(JSON.stringify({ module: '${modName}', names, id: org.id, version: workos.version }));
`;
    writeFileSync(path.join(app, 'call.cjs'), `const { WorkOS } = require('workos-native');\n(async () => {${call('cjs')}})().catch((e) => { console.error(e); process.exit(1); });\n`);
    writeFileSync(path.join(app, 'call.mjs'), `import { WorkOS } from 'workos-native';\n${call('esm')}`);
    const env = { EMU_KEY: emu.apiKey, EMU_PORT: String(emu.port), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' };
    for (const file of ['call.cjs', 'call.mjs']) {
      const { stdout } = await run(process.execPath, [file], { cwd: app, env });
      const r = JSON.parse(stdout);
      assert.deepEqual(r.names, ['Packed Org'], file);
      assert.equal(r.id, emu.ids.organizations['Packed Org'], file);
      assert.equal(r.version, rootPkg.version, file);
    }
  });

  test("tsc resolves the typings through the installed package's exports map (ESM and CommonJS)", async () => {
    // Express's and Node's types, as the app would install them (the guards are typed with Express's).
    symlinkSync(path.join(ROOT, 'node_modules', '@types'), path.join(app, 'node_modules', '@types'), 'dir');
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: ['app.mts', 'app.cts'],
      }),
    );
    // The @ts-expect-error lines fail the build (TS2578) if the typings resolve to `any`.
    writeFileSync(
      path.join(app, 'app.mts'),
      `import express from 'express';
import { WorkOS, createGuards, NotFoundException } from 'workos-native';
import type { Organization } from 'workos-native';
const workos = new WorkOS('sk_test', { apiHostname: '127.0.0.1', https: false });
const orgs: Organization[] = (await workos.organizations.listOrganizations()).data;
const { requireAuth, requireOrganization, requireRole } = createGuards(workos);
const app = express();
app.get('/', requireAuth(), requireOrganization, requireRole('admin'), (req, res) => {
  res.json({ org: req.organization?.name, role: req.membership?.roleSlug });
});
// @ts-expect-error requireRole takes role slugs
requireRole(1);
// @ts-expect-error an Organization has no title
void orgs[0]?.title;
export const isError: boolean = new NotFoundException({ path: '/', requestID: 'r' }) instanceof Error;
`,
    );
    writeFileSync(
      path.join(app, 'app.cts'),
      `import { WorkOS } from 'workos-native';
import type { OrganizationMembership } from 'workos-native';
export async function roleOf(workos: WorkOS, id: string): Promise<string> {
  const membership: OrganizationMembership = await workos.userManagement.getOrganizationMembership(id);
  return membership.roleSlug;
}
// @ts-expect-error getOrganization takes an id
void new WorkOS('sk_test').organizations.getOrganization(1);
`,
    );
    const { stdout } = await run(TSC, ['-p', 'tsconfig.json', '--traceResolution', '--pretty', 'false'], { cwd: app });
    const resolutions = stdout.split('\n');
    const dts = path.join(app, 'node_modules', 'workos-native', 'index.d.ts');
    for (const from of ['app.mts', 'app.cts']) {
      const start = resolutions.findIndex((l) => l.startsWith(`======== Resolving module 'workos-native' from '${path.join(app, from)}'`));
      assert.ok(start >= 0, `tsc resolved 'workos-native' from ${from}`);
      const end = resolutions.findIndex((l, i) => i > start && l.startsWith("======== Module name 'workos-native'"));
      const trace = resolutions.slice(start, end + 1).join('\n');
      assert.match(trace, /Using 'exports' subpath '\.' with target '\.\/index\.d\.ts'/, trace);
      assert.ok(resolutions[end].includes(`successfully resolved to '${dts}'`), resolutions[end]);
    }
  });
});
