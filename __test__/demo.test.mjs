// `npm run demo` (examples/demo.mjs) as a newcomer runs it: a child process, no WorkOS
// account (the in-process emulator), no network. It must exit 0, print nothing on stderr, and
// every step of its tour must show the status (and, for the telling ones, the answer) below.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = 'examples/demo.mjs';

/** The environment of a machine with no WorkOS configuration. */
function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('WORKOS_')) delete env[k];
  delete env.NODE_TEST_CONTEXT; // the child is a program, not a test file
  return env;
}

/** Runs the demo; resolves { code, signal, stdout, stderr, ms }. Kills it after `timeoutMs`. */
function runDemo(args = [], { timeoutMs = 60_000, env = cleanEnv(), onStdout } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [DEMO, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => {
      stdout += c;
      onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The tour's steps: "  7  POST /api/login   alice" then "     200 ✓  signed in …". */
function parseSteps(stdout) {
  const lines = stdout.split('\n');
  const steps = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*(\d+)\s{2}(GET|POST)\s+(\S+)\s+(.*)$/.exec(lines[i]);
    if (!head) continue;
    const answer = /^\s+(\d{3}) ([✓✗])\s{2}(.*)$/.exec(lines[i + 1] ?? '');
    assert.ok(answer, `step ${head[1]} has no answer line: ${JSON.stringify(lines[i + 1])}`);
    steps.push({
      n: Number(head[1]),
      method: head[2],
      path: head[3],
      who: head[4].trim(),
      status: Number(answer[1]),
      ok: answer[2] === '✓',
      answer: answer[3],
    });
  }
  return steps;
}

// [method, path, who, status, answer pattern?] in tour order.
const TOUR = [
  // 1. sign-up
  ['POST', '/api/signup', 'anonymous', 200, /organization "Initech" created; peter@example.com is its owner/],
  ['POST', '/api/login', 'peter', 200, /sealed session cookie/],
  ['POST', '/api/organizations', 'peter', 200, /"Initech Labs" created/],
  ['GET', '/api/user/organizations', 'peter', 200, /Initech Labs \(owner, active\), Initech \(owner, active\)/],
  // 2. sessions
  ['GET', '/api/user/organizations', 'anonymous', 401, /^Not authenticated$/],
  ['POST', '/api/login', 'alice', 401, /Invalid email or password/],
  ['POST', '/api/login', 'alice', 200],
  ['GET', '/api/user/organizations', 'alice', 200, /Globex \(member, active\), Acme Corp \(owner, active\)/],
  ['POST', '/api/user/switch-organization', 'alice', 200, /session refreshed into Globex/],
  ['GET', '/api/user/organizations', 'alice', 200, /\*Globex \(member, active\), Acme Corp/],
  ['POST', '/api/login', 'erin', 200],
  ['POST', '/api/user/switch-organization', 'erin', 403, /^Not a member$/],
  // 3. tenant guards
  ['GET', '/api/documents', 'alice  (no x-organization-id header)', 400, /^Missing organization context$/],
  ['GET', '/api/documents', 'alice  @ Acme Corp', 200, /^Acme Corp: 3 documents: Q3 roadmap, Pricing experiments, Onboarding checklist$/],
  ['GET', '/api/documents', 'alice  @ Globex', 200, /^Globex: 2 documents: Project Arcturus, Board minutes$/],
  ['GET', '/api/documents', 'erin  @ Acme Corp', 403, /^Not a member of this organization$/],
  ['POST', '/api/login', 'dave', 200],
  ['GET', '/api/user/organizations', 'dave', 200, /^Acme Corp \(member, inactive\)$/],
  ['GET', '/api/documents', 'dave  @ Acme Corp', 403, /^Not a member of this organization$/],
  ['POST', '/api/documents', 'carol (not signed in)  @ Acme Corp', 401, /^Not authenticated$/],
  ['POST', '/api/login', 'carol', 200],
  ['POST', '/api/documents', 'carol  @ Acme Corp', 201, /"Meeting notes" added to Acme Corp/],
  // 4. row-level security: the search handler has no organization filter
  ['GET', '/api/documents/search?q=', 'erin  @ Globex', 200, /^2 rows, all of Globex: Project Arcturus, Board minutes$/],
  ['GET', '/api/documents/search?q=', 'carol  @ Acme Corp', 200, /^4 rows, all of Acme Corp: Q3 roadmap, Pricing experiments, Onboarding checklist, Meeting notes$/],
  // 5. roles
  ['POST', '/api/login', 'bob', 200],
  ['GET', '/api/invitations', 'bob  @ Acme Corp', 200, /^pending: frank@example\.com \(pending\)$/],
  ['POST', '/api/invitations', 'bob  @ Acme Corp', 200, /invitation sent to grace@example\.com \(pending\)/],
  ['GET', '/api/invitations', 'alice  @ Acme Corp', 200, /^pending: grace@example\.com \(pending\), frank@example\.com \(pending\)$/],
  ['POST', '/api/invitations', 'carol  @ Acme Corp', 403, /^Requires one of: admin, owner$/],
  ['GET', '/api/invitations', 'alice  @ Globex', 403, /^Requires one of: admin, owner$/],
  // 6. feature flags
  ['GET', '/api/advanced-analytics', 'carol  @ Acme Corp', 200, /^Acme Corp: 4 documents$/],
  ['GET', '/api/advanced-analytics', 'erin  @ Globex', 403, /^Feature 'advanced_analytics' not available for this organization$/],
  ['GET', '/api/advanced-analytics', 'peter  @ Initech', 403, /^Feature 'advanced_analytics' not available for this organization$/],
];

test('npm run demo: the tour runs against the in-process emulator and exits 0', { timeout: 90_000 }, async () => {
  const run = await runDemo();
  const context = `\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
  assert.equal(run.signal, null, `the demo was killed (timeout?)${context}`);
  assert.equal(run.code, 0, `exit code${context}`);
  assert.equal(run.stderr.trim(), '', `the demo printed on stderr${context}`);

  assert.match(run.stdout, /WorkOS\s+WorkOS emulator \(in process\)/);
  assert.match(run.stdout, /Postgres\s+PGlite/);

  const steps = parseSteps(run.stdout);
  assert.equal(steps.length, TOUR.length, `number of tour steps${context}`);
  TOUR.forEach(([method, path, who, status, answer], i) => {
    const s = steps[i];
    const where = `step ${i + 1} (${method} ${path} ${who})`;
    assert.equal(s.n, i + 1, `${where}: numbering`);
    assert.deepEqual([s.method, s.path, s.who], [method, path, who], `${where}: request`);
    assert.equal(s.status, status, `${where}: status; answer: ${s.answer}`);
    assert.ok(s.ok, `${where}: marked as unexpected`);
    if (answer) assert.match(s.answer, answer, `${where}: answer`);
  });

  // Row-level security: the table holds several organizations' rows, a handler without a
  // WHERE clause still gets its own organization's only.
  assert.match(run.stdout, /as its owner sees it: Acme Corp 4, Globex 2, Initech 0, Initech Labs 0/);
  const globexSearch = steps.find((s) => s.path === '/api/documents/search?q=' && s.who.includes('Globex'));
  for (const acmeTitle of ['Q3 roadmap', 'Pricing experiments', 'Onboarding checklist', 'Meeting notes']) {
    assert.ok(!globexSearch.answer.includes(acmeTitle), `Globex's unscoped search shows Acme's "${acmeTitle}"`);
  }

  assert.match(run.stdout, new RegExp(`Tour complete: all ${TOUR.length} requests got the expected answer\\.`));
  assert.doesNotMatch(run.stdout, /✗|FAILED/);
});

test('npm run demo -- --serve: prints the URL and curl examples, serves, stops on SIGTERM', { timeout: 90_000 }, async () => {
  let checked;
  const run = await runDemo(['--serve'], {
    env: cleanEnv({ PORT: '0' }), // any free port
    onStdout(stdout, child) {
      if (checked || !stdout.includes('press Ctrl-C to stop')) return;
      const url = /Serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)[1];
      const acme = /x-organization-id: (org_\w+)/.exec(stdout)[1];
      checked = (async () => {
        const login = await fetch(`${url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'bob@example.com', password: 'demo-password-2718' }),
        });
        assert.equal(login.status, 200);
        const cookie = login.headers.get('set-cookie').split(';')[0];
        assert.match(cookie, /^wos-session=/);
        const docs = await fetch(`${url}/api/documents`, { headers: { cookie, 'x-organization-id': acme } });
        assert.equal(docs.status, 200);
        assert.deepEqual((await docs.json()).documents.map((d) => d.title), ['Q3 roadmap', 'Pricing experiments', 'Onboarding checklist']);
        const noOrg = await fetch(`${url}/api/documents`, { headers: { cookie } });
        assert.equal(noOrg.status, 400);
      })().finally(() => child.kill('SIGTERM'));
    },
  });
  assert.ok(checked, `the demo never said it was serving\n${run.stdout}\n${run.stderr}`);
  await checked;
  assert.equal(run.code, 0, `exit code\n${run.stdout}\n${run.stderr}`);
  assert.equal(run.stderr.trim(), '');
  assert.match(run.stdout, /curl -c \S+ -H 'content-type: application\/json'/);
  assert.match(run.stdout, /Stopping\./);
});
