// workos-native demo: the WorkOS guide's "Complete Example: Multi-Tenant API", served from
// this process with everything it needs, then toured.
//
//   npm run demo               start, run the scripted tour against itself, exit (0 if every
//                              step got the answer it expects)
//   npm run demo -- --serve    start and keep serving (PORT, default 3000) until Ctrl-C
//
// Parts (all in this process; nothing from the internet, no account):
//   backend.mjs  WorkOS: the local emulator seeded with two organizations and their people
//                (or a real environment when WORKOS_API_KEY is set)
//   db.mjs       Postgres (PGlite) with the guide's row-level-security policy
//   app.mjs      the Express app, written with workos-native and its guards
//   tour.mjs     the scripted requests

import { randomBytes } from 'node:crypto';

// (Imported here rather than with `import … from` only to turn a missing native addon into
// a plain instruction: in a fresh checkout it is built from the Rust sources.)
const [{ startBackend, ORGANIZATIONS, PEOPLE, INVITATIONS, PASSWORD }, { openDatabase }, { createApp }, { runTour }] =
  await Promise.all([import('./backend.mjs'), import('./db.mjs'), import('./app.mjs'), import('./tour.mjs')]).catch((error) => {
    if (!/Cannot find native binding/.test(error?.message)) throw error;
    console.error('The workos-native addon is not built yet: run `npm run build:debug` (needs Rust), then `npm run demo` again.');
    process.exit(1);
  });

const serveMode = process.argv.includes('--serve');
// Seals the session cookie; at least 32 characters.
const cookiePassword = process.env.WORKOS_COOKIE_PASSWORD ?? randomBytes(32).toString('base64url');
const print = (line = '') => console.log(line);

print('workos-native demo: "Complete Example: Multi-Tenant API" (WorkOS organization management)');
print();

let backend;
let db;
let server;
let tourCreated;
async function shutdown() {
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await db?.close();
  await backend?.close(tourCreated);
}

try {
  backend = await startBackend();
  print(`  WorkOS    ${backend.description}`);

  db = await openDatabase();
  for (const org of Object.values(backend.organizations)) {
    await db.addOrganization(org);
    await db.seedDocuments(org.id, org.documents);
  }
  print('  Postgres  PGlite (in process, in memory); table documents under RLS policy organization_isolation;');
  print('            requests run as role app_user (no BYPASSRLS), one transaction each');

  const app = createApp({ apiKey: backend.apiKey, workosOptions: backend.workosOptions, cookiePassword, db });
  const port = serveMode ? Number(process.env.PORT ?? 3000) : 0;
  server = await listen(app, port);
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  print(`  App       ${baseUrl}  (Express 4 + workos-native: WorkOS, createGuards)`);
  print();
  printCast(backend);

  if (serveMode) {
    const stop = new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    printCurlExamples(baseUrl, backend);
    await stop;
    print('\nStopping.');
  } else {
    const result = await runTour({ baseUrl, backend, db, print });
    tourCreated = result.created;
    print();
    if (result.failed.length === 0) {
      print(`Tour complete: all ${result.passed} requests got the expected answer.`);
    } else {
      print(`Tour FAILED: ${result.failed.length} of ${result.passed + result.failed.length} requests got an unexpected answer:`);
      for (const f of result.failed) print(`  ${f}`);
      process.exitCode = 1;
    }
  }
} catch (error) {
  console.error(`demo failed: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await shutdown();
}

function listen(app, port) {
  return new Promise((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', (e) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: set PORT to another one`) : e),
    );
  });
}

function printCast(backend) {
  print('Cast (everyone\'s password: ' + PASSWORD + ')');
  for (const org of ORGANIZATIONS) {
    const members = Object.entries(PEOPLE).flatMap(([name, ms]) =>
      ms.filter((m) => m.org === org.key).map((m) => `${name} (${m.role}${m.status === 'inactive' ? ', deactivated' : ''})`),
    );
    const invited = INVITATIONS.filter((i) => i.org === org.key).map((i) => `${i.name} invited`);
    const flags = backend.flagsSeeded ? org.flags.map((f) => `flag ${f}`) : [];
    print(`  ${org.name.padEnd(10)} ${[members.join(', '), ...flags, ...invited].join('; ')}`);
  }
  print(`  emails are ${backend.email('<name>')}`);
}

function printCurlExamples(baseUrl, backend) {
  const acme = backend.organizations.acme.id;
  const jar = '/tmp/wn-demo-alice.cookies';
  print(`
Serving at ${baseUrl} — press Ctrl-C to stop. Try (sign in first: the session is a cookie):

  curl -c ${jar} -H 'content-type: application/json' \\
       -d '{"email":"${backend.email('alice')}","password":"${PASSWORD}"}' ${baseUrl}/api/login
  curl -b ${jar} ${baseUrl}/api/user/organizations
  curl -b ${jar} -H 'x-organization-id: ${acme}' ${baseUrl}/api/documents
  curl -b ${jar} -H 'x-organization-id: ${acme}' '${baseUrl}/api/documents/search?q='
  curl -b ${jar} -H 'x-organization-id: ${acme}' ${baseUrl}/api/invitations
  curl -b ${jar} -H 'x-organization-id: ${acme}' ${baseUrl}/api/advanced-analytics
  curl -b ${jar} ${baseUrl}/api/documents                      # 400: no x-organization-id
  curl -X POST -H 'content-type: application/json' \\
       -d '{"email":"you@example.com","password":"${PASSWORD}","companyName":"Initech"}' ${baseUrl}/api/signup
`);
}
