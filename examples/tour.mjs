// The scripted tour: HTTP requests against the demo's own server, each printed with its answer.
//
//   const result = await runTour({ baseUrl, backend, db, print });   // → { passed, failed, created }
//
// Every step states the status it expects; a step whose answer differs is marked and counted.

import { PASSWORD } from './backend.mjs';

export async function runTour({ baseUrl, backend, db, print = console.log }) {
  const orgs = { ...backend.organizations }; // key → { id, name }; the tour adds the ones it creates
  const cookies = new Map(); // person → sealed session cookie (a one-line cookie jar per person)
  const created = { organizations: [], users: [] };
  let step = 0;
  let passed = 0;
  const failed = [];

  /**
   * One request. `as`: who sends it (with their session cookie, once signed in); `org`: key
   * of the organization named in x-organization-id; `note`: printed after who; `expect`: the
   * status it should get; `show(body)`: short text for a successful answer; `check(body)`:
   * an extra assertion, returning an error text or nothing.
   */
  async function request(method, path, { as, org, note, body, expect, show = brief, check } = {}) {
    step++;
    const signedIn = as !== undefined && (cookies.has(as) || path === '/api/login');
    const person = as === undefined ? 'anonymous' : signedIn ? as : `${as} (not signed in)`;
    const who = [person, org ? `@ ${orgs[org].name}` : '', note].filter(Boolean).join('  ');
    const headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (as && cookies.has(as)) headers.cookie = `wos-session=${encodeURIComponent(cookies.get(as))}`;
    if (org) headers['x-organization-id'] = orgs[org].id;
    const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    const sealed = /(?:^|,\s*)wos-session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
    if (sealed && as) cookies.set(as, decodeURIComponent(sealed[1]));

    print(`${String(step).padStart(3)}  ${method.padEnd(4)} ${path.padEnd(34)} ${who}`);
    let problem = res.status === expect ? undefined : `expected ${expect}`;
    if (!problem && check) {
      try {
        problem = check(json);
      } catch (error) {
        problem = `unexpected answer (${error.message})`;
      }
    }
    let summary;
    try {
      summary = res.status < 400 ? show(json) : (json?.error ?? brief(json));
    } catch {
      summary = brief(json); // not the shape `show` expects
    }
    print(`     ${res.status} ${problem ? '✗' : '✓'}  ${summary}${problem ? `   <-- ${problem}` : ''}`);
    if (problem) failed.push(`step ${step}: ${method} ${path} as ${as ?? 'anonymous'}: got ${res.status}, ${problem}`);
    else passed++;
    return json;
  }

  const section = (title) => print(`\n── ${title} ${'─'.repeat(Math.max(3, 86 - title.length))}`);
  const remark = (text) => print(`     ${text}`);
  const login = (name, password = PASSWORD, expect = 200) =>
    request('POST', '/api/login', {
      as: name,
      body: { email: backend.email(name), password },
      expect,
      show: (b) => `signed in as ${b.user.email}; sealed session cookie \`wos-session\` set`,
    });
  const orgList = (b) => b.organizations.map((o) => `${o.current ? '*' : ''}${o.name} (${o.role}, ${o.status})`).join(', ');
  const docList = (b) => `${b.organization.name}: ${b.documents.length} documents: ${b.documents.map((d) => d.title).join(', ')}`;
  const invitationList = (b) => `pending: ${b.invitations.map((i) => `${i.email} (${i.state})`).join(', ') || 'none'}`;
  const onlyFrom = (key) => (b) => {
    const strangers = b.documents.filter((d) => d.organization_id !== orgs[key].id);
    return strangers.length ? `${strangers.length} rows of another organization leaked` : undefined;
  };

  // --------------------------------------------------------------------------------------
  section('1. Sign-up: a new customer creates an organization and owns it');
  const signup = await request('POST', '/api/signup', {
    body: { email: backend.email('peter'), password: PASSWORD, companyName: 'Initech' },
    expect: 200,
    show: (b) => `organization "${b.organization.name}" created; ${b.user.email} is its owner`,
  });
  if (signup?.organization) {
    orgs.initech = { id: signup.organization.id, name: signup.organization.name };
    created.organizations.push(signup.organization.id);
    created.users.push(signup.user.id);
  }
  await login('peter');
  const labs = await request('POST', '/api/organizations', {
    as: 'peter',
    body: { name: 'Initech Labs' },
    expect: 200,
    show: (b) => `organization "${b.organization.name}" created (externalId ${b.organization.externalId.replace(/_.*/, '_…')}); peter owns it`,
  });
  if (labs?.organization) created.organizations.push(labs.organization.id);
  await request('GET', '/api/user/organizations', { as: 'peter', expect: 200, show: orgList });

  // --------------------------------------------------------------------------------------
  section('2. Sessions: signing in, listing and switching organizations');
  await request('GET', '/api/user/organizations', { expect: 401 });
  await login('alice', 'not-her-password', 401);
  await login('alice');
  await request('GET', '/api/user/organizations', { as: 'alice', expect: 200, show: orgList });
  await request('POST', '/api/user/switch-organization', {
    as: 'alice',
    body: { organizationId: orgs.globex.id },
    expect: 200,
    show: (b) => `session refreshed into ${orgs.globex.name}; new cookie set`,
  });
  await request('GET', '/api/user/organizations', { as: 'alice', expect: 200, show: (b) => `${orgList(b)}   (* = session's organization)` });
  await login('erin');
  await request('POST', '/api/user/switch-organization', { as: 'erin', body: { organizationId: orgs.acme.id }, expect: 403 });

  // --------------------------------------------------------------------------------------
  section('3. Tenant guards: organization context, membership, deactivated members');
  await request('GET', '/api/documents', { as: 'alice', note: '(no x-organization-id header)', expect: 400 });
  await request('GET', '/api/documents', { as: 'alice', org: 'acme', expect: 200, show: docList });
  await request('GET', '/api/documents', { as: 'alice', org: 'globex', expect: 200, show: docList });
  await request('GET', '/api/documents', { as: 'erin', org: 'acme', expect: 403 });
  await login('dave');
  await request('GET', '/api/user/organizations', { as: 'dave', expect: 200, show: orgList });
  await request('GET', '/api/documents', { as: 'dave', org: 'acme', expect: 403 });
  await request('POST', '/api/documents', {
    as: 'carol',
    org: 'acme',
    body: { title: 'Meeting notes' },
    expect: 401, // carol has not signed in yet
  });
  await login('carol');
  await request('POST', '/api/documents', {
    as: 'carol',
    org: 'acme',
    body: { title: 'Meeting notes' },
    expect: 201,
    show: (b) => `"${b.document.title}" added to ${b.organization.name}`,
  });

  // --------------------------------------------------------------------------------------
  section('4. Row-level security: a handler that forgets `WHERE organization_id = …`');
  const everything = await db.ownerView();
  remark(`The documents table, as its owner sees it: ${everything.map((r) => `${r.name} ${r.documents}`).join(', ')}`);
  remark('GET /api/documents/search runs `SELECT … FROM documents WHERE title ILIKE $1`: no organization filter.');
  for (const [who, key] of [['erin', 'globex'], ['carol', 'acme']]) {
    await request('GET', '/api/documents/search?q=', {
      as: who,
      org: key,
      expect: 200,
      show: (b) => {
        const own = b.documents.every((d) => d.organization_id === b.organization.id);
        const whose = own ? `all of ${b.organization.name}` : 'of SEVERAL organizations';
        return `${b.documents.length} rows, ${whose}: ${b.documents.map((d) => d.title).join(', ')}`;
      },
      check: onlyFrom(key),
    });
  }

  // --------------------------------------------------------------------------------------
  section('5. Roles: invitations are for admins and owners');
  await login('bob');
  await request('GET', '/api/invitations', { as: 'bob', org: 'acme', expect: 200, show: invitationList });
  await request('POST', '/api/invitations', {
    as: 'bob',
    org: 'acme',
    body: { email: backend.email('grace'), roleSlug: 'member' },
    expect: 200,
    show: (b) => `invitation sent to ${b.invitation.email} (${b.invitation.state})`,
  });
  await request('GET', '/api/invitations', { as: 'alice', org: 'acme', expect: 200, show: invitationList });
  await request('POST', '/api/invitations', { as: 'carol', org: 'acme', body: { email: backend.email('mallory') }, expect: 403 });
  await request('GET', '/api/invitations', { as: 'alice', org: 'globex', expect: 403 });

  // --------------------------------------------------------------------------------------
  section('6. Feature flags: /api/advanced-analytics needs `advanced_analytics`');
  if (!backend.flagsSeeded) remark('(Live WorkOS: flags cannot be seeded through the API, so every organization is refused.)');
  await request('GET', '/api/advanced-analytics', {
    as: 'carol',
    org: 'acme',
    expect: backend.flagsSeeded ? 200 : 403,
    show: (b) => `${b.analytics.organization}: ${b.analytics.documents} documents`,
  });
  await request('GET', '/api/advanced-analytics', { as: 'erin', org: 'globex', expect: 403 });
  await request('GET', '/api/advanced-analytics', { as: 'peter', org: 'initech', expect: 403 });

  return { passed, failed, created };
}

/** Compact JSON, cut to one line. */
function brief(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
