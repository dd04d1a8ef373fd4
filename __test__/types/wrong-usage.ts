// Deliberate misuse of workos-native's typings. __test__/typings.test.mjs runs tsc --strict on
// this file and requires it to FAIL with exactly the errors marked `// error TSnnnn` on the
// lines where tsc reports them: no marked error may be missing, and no other error may appear.

import express from 'express';
import { AutoPaginatable, GuardError, WorkOS, createGuards } from 'workos-native';
import type { AuthenticateWithSessionCookieResponse, CreateAuditLogEventOptions } from 'workos-native';

const workos = new WorkOS('sk_test_123', { apiHostName: 'localhost' }); // error TS2561
new WorkOS(42); // error TS2345

async function misuse(): Promise<void> {
  // A misspelled option, and an option that does not exist at all.
  await workos.organizations.listOrganizations({ limt: 10 }); // error TS2561
  await workos.organizations.createOrganization({ name: 'Acme', colour: 'red' }); // error TS2353
  // A wrong argument type.
  await workos.organizations.getOrganization(123); // error TS2345
  await workos.userManagement.updateOrganizationMembership('om_1', { roleSlug: ['admin'] }); // error TS2322
  // A required option missing.
  await workos.organizations.listOrganizationFeatureFlags({}); // error TS2345

  // Reading fields that do not exist.
  const org = await workos.organizations.getOrganization('org_1');
  console.log(org.title); // error TS2339
  const membership = await workos.userManagement.getOrganizationMembership('om_1');
  console.log(membership.roleName); // error TS2339
  // Writing a read-only alias.
  const [flag] = (await workos.organizations.listOrganizationFeatureFlags({ organizationId: 'org_1' })).data;
  if (flag) flag.key = 'other'; // error TS2540
  // A method the organizations module does not have.
  await workos.organizations.createOrganizationMembership({ organizationId: 'org_1', userId: 'user_1' }); // error TS2339

  // A result type that does not match.
  const names: number[] = await (await workos.organizations.listOrganizations()).autoPagination(); // error TS2322
  // Session results must be narrowed before reading the success fields.
  const result: AuthenticateWithSessionCookieResponse = await workos.userManagement.authenticateWithSessionCookie({ sessionData: 'x' });
  console.log(result.sessionId); // error TS2339
  // An audit-log event without its actor.
  const event: CreateAuditLogEventOptions = { action: 'a', occurredAt: new Date(), targets: [], context: { location: '::1' } }; // error TS2741
  await workos.auditLogs.createEvent('org_1', event);
}

// Lists are made by the list methods only.
new AutoPaginatable(); // error TS2673

// Guards.
const guards = createGuards(workos, { onError: 'throw' }); // error TS2322
const app = express();
app.get('/admin', guards.requireRole(1), (_req, res) => res.end()); // error TS2345
app.get('/flag', guards.requireFeature(), (_req, res) => res.end()); // error TS2554
app.get('/org', guards.requireOrganization, (req, res) => {
  res.json({ name: req.organization.name }); // error TS18048
});
guards.invalidate({ user: 'user_1' }); // error TS2353
app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  if (err instanceof GuardError && err.code === 'forbidden') res.status(403).end(); // error TS2367
});

void misuse;

// The session's password is private (as in @workos-inc/node).
void workos.userManagement.loadSealedSession({ sessionData: 's', cookiePassword: 'p' }).cookiePassword; // error TS2341
