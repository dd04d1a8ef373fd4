// The WorkOS side of the demo, and the cast of the tour.
//
// By default: WorkOS's local emulator (npm `workos`, `workos/emulate`) in this process, seeded
// with the cast below, behind a small overlay that serves organization roles and feature flags
// (which the emulator lacks). No network, no account, no API key.
//
// With WORKOS_API_KEY (+ WORKOS_CLIENT_ID; optionally WORKOS_API_HOSTNAME, WORKOS_API_PORT,
// WORKOS_API_HTTPS=false): a real WorkOS environment. The cast is then created through the API
// (and deleted at the end). Feature flags cannot be created through the API, so no
// organization has `advanced_analytics` there.

import { randomBytes } from 'node:crypto';
import { WorkOS } from 'workos-native';

/** The organizations, their documents (in Postgres) and feature flags. */
export const ORGANIZATIONS = [
  {
    key: 'acme',
    name: 'Acme Corp',
    flags: ['advanced_analytics'],
    documents: ['Q3 roadmap', 'Pricing experiments', 'Onboarding checklist'],
  },
  {
    key: 'globex',
    name: 'Globex',
    flags: [],
    documents: ['Project Arcturus', 'Board minutes'],
  },
];

/** Who belongs where, with which role; dave's membership is deactivated. */
export const PEOPLE = {
  alice: [{ org: 'acme', role: 'owner' }, { org: 'globex', role: 'member' }],
  bob: [{ org: 'acme', role: 'admin' }],
  carol: [{ org: 'acme', role: 'member' }],
  dave: [{ org: 'acme', role: 'member', status: 'inactive' }],
  erin: [{ org: 'globex', role: 'owner' }],
};

/** A pending invitation to Acme, sent by alice. */
export const INVITATIONS = [{ name: 'frank', org: 'acme', inviter: 'alice', role: 'member' }];

/** Everyone's password (the demo's users exist only in the emulator or are deleted after). */
export const PASSWORD = 'demo-password-2718';

/**
 * Starts the backend. Returns { mode, description, apiKey, workosOptions, email(name),
 * organizations: { key: { id, name, documents, flags } }, flagsSeeded, close(created) }.
 */
export async function startBackend(env = process.env) {
  return env.WORKOS_API_KEY ? startLiveWorkOS(env) : startLocalEmulator();
}

// ------------------------------------------------------------------------- emulator

async function startLocalEmulator() {
  // The project's test helper (see its header comment for the seed format).
  const { startEmulator, startOverlay } = await import('../__test__/helpers/emulator.mjs');
  const email = (name) => `${name}@example.com`;
  const orgName = (key) => ORGANIZATIONS.find((o) => o.key === key).name;

  const seed = {
    users: Object.keys(PEOPLE).map((name) => ({
      email: email(name),
      first_name: capitalize(name),
      password: PASSWORD,
      email_verified: true,
    })),
    organizations: ORGANIZATIONS.map((o) => ({ name: o.name, external_id: o.key })),
    memberships: Object.entries(PEOPLE).flatMap(([name, memberships]) =>
      memberships.map((m) => ({ user: email(name), organization: orgName(m.org), role: m.role, status: m.status ?? 'active' })),
    ),
    invitations: INVITATIONS.map((i) => ({
      email: email(i.name),
      organization: orgName(i.org),
      inviter: email(i.inviter),
      role_slug: i.role,
    })),
    featureFlags: [
      {
        slug: 'advanced_analytics',
        name: 'Advanced analytics',
        organizations: ORGANIZATIONS.filter((o) => o.flags.includes('advanced_analytics')).map((o) => o.name),
      },
    ],
  };
  const emulator = await startEmulator({ seed });
  const overlay = await startOverlay(emulator); // roles and feature flags per organization

  const organizations = {};
  for (const o of ORGANIZATIONS) organizations[o.key] = { ...o, id: emulator.ids.organizations[o.name] };

  return {
    mode: 'emulator',
    description: `WorkOS emulator (in process) at ${emulator.url}, behind an overlay at ${overlay.url}`,
    apiKey: emulator.apiKey,
    workosOptions: { apiHostname: overlay.hostname, port: overlay.port, https: false, clientId: 'client_workos_native_demo' },
    email,
    organizations,
    flagsSeeded: true,
    async close() {
      await overlay.close();
      await emulator.close();
    },
  };
}

// ------------------------------------------------------------------------- live WorkOS

async function startLiveWorkOS(env) {
  if (!env.WORKOS_CLIENT_ID) {
    throw new Error('WORKOS_CLIENT_ID is required with WORKOS_API_KEY (sessions are issued for a client id)');
  }
  const workosOptions = { clientId: env.WORKOS_CLIENT_ID };
  if (env.WORKOS_API_HOSTNAME) workosOptions.apiHostname = env.WORKOS_API_HOSTNAME;
  // For a WorkOS-compatible server of your own (e.g. `npx workos emulate`): port and plain http.
  if (env.WORKOS_API_PORT) workosOptions.port = Number(env.WORKOS_API_PORT);
  if (env.WORKOS_API_HTTPS === 'false') workosOptions.https = false;
  const workos = new WorkOS(env.WORKOS_API_KEY, workosOptions);

  // Unique names, so runs never collide; example.com addresses never receive mail.
  const run = randomBytes(3).toString('hex');
  const email = (name) => `${name}+wn-demo-${run}@example.com`;
  const created = { organizations: [], users: [] };

  const close = async (alsoCreated = {}) => {
    // Delete what the demo and its tour created (users first: they hold the memberships).
    const users = [...created.users, ...(alsoCreated.users ?? [])];
    const orgs = [...created.organizations, ...(alsoCreated.organizations ?? [])];
    for (const id of users) await workos.userManagement.deleteUser(id).catch(() => {});
    for (const id of orgs) await workos.organizations.deleteOrganization(id).catch(() => {});
  };

  try {
    const organizations = {};
    for (const o of ORGANIZATIONS) {
      const org = await workos.organizations.createOrganization({ name: o.name, metadata: { workosNativeDemo: run } });
      created.organizations.push(org.id);
      organizations[o.key] = { ...o, id: org.id };
    }
    const userIds = {};
    for (const [name, memberships] of Object.entries(PEOPLE)) {
      const user = await workos.userManagement.createUser({
        email: email(name),
        password: PASSWORD,
        firstName: capitalize(name),
        emailVerified: true,
      });
      created.users.push(user.id);
      userIds[name] = user.id;
      for (const m of memberships) {
        const membership = await workos.userManagement.createOrganizationMembership({
          userId: user.id,
          organizationId: organizations[m.org].id,
          roleSlug: m.role,
        });
        if (m.status === 'inactive') await workos.userManagement.deactivateOrganizationMembership(membership.id);
      }
    }
    for (const i of INVITATIONS) {
      await workos.userManagement.sendInvitation({
        email: email(i.name),
        organizationId: organizations[i.org].id,
        inviterUserId: userIds[i.inviter],
        roleSlug: i.role,
      });
    }
    return {
      mode: 'workos',
      description: `WorkOS environment at ${workos.baseURL} (run ${run})`,
      apiKey: env.WORKOS_API_KEY,
      workosOptions,
      email,
      organizations,
      flagsSeeded: false,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function capitalize(s) {
  return s[0].toUpperCase() + s.slice(1);
}
