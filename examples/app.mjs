// "Complete Example: Multi-Tenant API" from the WorkOS organization-management guide, written
// with workos-native: the same calls as @workos-inc/node, and its guards in place of the
// guide's hand-written requireOrganization / requireRole / requireFeature middleware.
//
//   createApp({ apiKey, workosOptions, cookiePassword, db }) → Express app
//
// Authentication is WorkOS's sealed session cookie (`wos-session`): POST /api/login sets it,
// requireAuth reads it (and refreshes an expired access token by itself). The organization a
// request works on comes from the `x-organization-id` header; requireOrganization checks that
// the user is an active member of it before any handler runs.

import { randomUUID } from 'node:crypto';
import express from 'express4';
import { WorkOS, createGuards } from 'workos-native';
// workos-native covers organization management and sessions, not sign-in: it has no
// authenticateWithPassword. The login route alone uses the official SDK for that one call.
import { WorkOS as OfficialWorkOS } from '@workos-inc/node';

export function createApp({ apiKey, workosOptions, cookiePassword, db }) {
  const workos = new WorkOS(apiKey, workosOptions);
  const officialForLogin = new OfficialWorkOS(apiKey, workosOptions);
  const clientId = workosOptions.clientId;

  const guards = createGuards(workos);
  const { requireOrganization, requireRole, requireFeature } = guards;
  // 401 without a valid session cookie; on success req.user is the WorkOS user and
  // req.session holds the session's claims (sessionId, organizationId, role, …).
  const requireAuth = guards.requireAuth({ cookiePassword });

  const app = express();
  app.use(express.json());

  // ----------------------------------------------------------------- sign-up and sign-in

  // Self-service organization creation: a new customer gets an organization and owns it.
  app.post(
    '/api/signup',
    handle(async (req, res) => {
      const { email, password, companyName } = req.body ?? {};
      try {
        // Create organization first
        const organization = await workos.organizations.createOrganization(
          { name: companyName, metadata: { plan: 'free', createdVia: 'self_signup' } },
          { idempotencyKey: `org-${email}-${Date.now()}` },
        );
        // Create user (emailVerified: a live environment would otherwise ask for email
        // verification at the first sign-in; the demo's addresses receive no mail)
        const user = await workos.userManagement.createUser({ email, password, emailVerified: true });
        // Add user to organization as owner
        await workos.userManagement.createOrganizationMembership({
          userId: user.id,
          organizationId: organization.id,
          roleSlug: 'owner',
        });
        await db.addOrganization(organization);
        res.json({ organization, user });
      } catch (error) {
        res.status(400).json({ error: error.message });
      }
    }),
  );

  // Email + password → sealed session cookie.
  app.post(
    '/api/login',
    handle(async (req, res) => {
      const { email, password } = req.body ?? {};
      const session = { sealSession: true, cookiePassword };
      let auth;
      try {
        auth = await officialForLogin.userManagement.authenticateWithPassword({ clientId, email, password, session });
      } catch (error) {
        // A live WorkOS environment asks a member of several organizations to pick one first
        // (the emulator does not); this demo picks the first.
        const pending = error.rawData;
        if (pending?.code !== 'organization_selection_required') {
          if ([400, 401, 403].includes(error.status)) return res.status(401).json({ error: 'Invalid email or password' });
          throw error;
        }
        auth = await officialForLogin.userManagement.authenticateWithOrganizationSelection({
          clientId,
          pendingAuthenticationToken: pending.pending_authentication_token,
          organizationId: pending.organizations[0].id,
          session,
        });
      }
      res.cookie('wos-session', auth.sealedSession, { httpOnly: true, secure: true, sameSite: 'lax' });
      res.json({ user: { id: auth.user.id, email: auth.user.email }, organizationId: auth.organizationId ?? null });
    }),
  );

  // ----------------------------------------------------------------- organizations

  // Create another organization; the caller becomes its owner.
  app.post(
    '/api/organizations',
    requireAuth,
    handle(async (req, res) => {
      const org = await workos.organizations.createOrganization({
        name: req.body?.name,
        externalId: generateTenantId(),
      });
      await workos.userManagement.createOrganizationMembership({
        userId: req.user.id,
        organizationId: org.id,
        roleSlug: 'owner',
      });
      await db.addOrganization(org);
      res.json({ organization: org });
    }),
  );

  // Organization switcher: every organization the user belongs to, with role and status.
  app.get(
    '/api/user/organizations',
    requireAuth,
    handle(async (req, res) => {
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
          current: org.id === req.session?.organizationId, // the session's active organization
        });
      }
      res.json({ organizations });
    }),
  );

  // Switch the session's active organization. Membership is checked first (the emulator's
  // refresh would switch into any organization); unlike the guide, only an *active*
  // membership counts, so a deactivated member cannot switch back in.
  app.post(
    '/api/user/switch-organization',
    requireAuth,
    handle(async (req, res) => {
      const { organizationId } = req.body ?? {};
      // Verify user is a member
      const memberships = await workos.userManagement.listOrganizationMemberships({
        userId: req.user.id,
        organizationId,
        statuses: ['active'],
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
        sessionData: sessionCookie(req, res),
        cookiePassword,
      });
      const refreshed = await session.refresh({ organizationId });
      if (!refreshed.authenticated) {
        return res.status(401).json({ error: 'Session refresh failed' });
      }
      res.cookie('wos-session', refreshed.sealedSession, { httpOnly: true, secure: true, sameSite: 'lax' });
      res.json({ success: true, organizationId });
    }),
  );

  // ----------------------------------------------------------------- tenant data (Postgres + RLS)

  // Tenant-scoped data access: the query names the organization, and RLS enforces it too.
  app.get(
    '/api/documents',
    requireAuth,
    requireOrganization,
    handle(async (req, res) => {
      const { rows } = await db.withOrganization(req.organization.id, (tx) =>
        tx.query('SELECT id, title FROM documents WHERE organization_id = $1 ORDER BY id', [req.organization.id]),
      );
      res.json({ documents: rows, organization: { id: req.organization.id, name: req.organization.name } });
    }),
  );

  app.post(
    '/api/documents',
    requireAuth,
    requireOrganization,
    handle(async (req, res) => {
      if (typeof req.body?.title !== 'string' || !req.body.title) return res.status(400).json({ error: 'title is required' });
      const { rows } = await db.withOrganization(req.organization.id, (tx) =>
        tx.query('INSERT INTO documents (organization_id, title, content) VALUES ($1, $2, $3) RETURNING id, title', [
          req.organization.id,
          req.body.title,
          req.body.content ?? null,
        ]),
      );
      res.status(201).json({ document: rows[0], organization: { id: req.organization.id, name: req.organization.name } });
    }),
  );

  // A deliberately buggy handler: its query FORGETS `WHERE organization_id = …`. Row-level
  // security still returns only the current organization's documents.
  app.get(
    '/api/documents/search',
    requireAuth,
    requireOrganization,
    handle(async (req, res) => {
      const { rows } = await db.withOrganization(req.organization.id, (tx) =>
        tx.query('SELECT id, organization_id, title FROM documents WHERE title ILIKE $1 ORDER BY id', [`%${req.query.q ?? ''}%`]),
      );
      res.json({ documents: rows, organization: { id: req.organization.id, name: req.organization.name } });
    }),
  );

  // ----------------------------------------------------------------- admin only: invitations

  app.post(
    '/api/invitations',
    requireAuth,
    requireOrganization,
    requireRole('admin', 'owner'),
    handle(async (req, res) => {
      const invitation = await workos.userManagement.sendInvitation({
        email: req.body?.email,
        organizationId: req.organization.id,
        inviterUserId: req.user.id,
        roleSlug: req.body?.roleSlug,
        expiresInDays: 7,
      });
      res.json({ invitation });
    }),
  );

  // List pending invitations
  app.get(
    '/api/invitations',
    requireAuth,
    requireOrganization,
    requireRole('admin', 'owner'),
    handle(async (req, res) => {
      const invitations = await workos.userManagement.listInvitations({
        organizationId: req.organization.id,
      });
      const pending = [];
      for await (const invitation of invitations) {
        if (invitation.state === 'pending') {
          pending.push(invitation);
        }
      }
      res.json({ invitations: pending });
    }),
  );

  // ----------------------------------------------------------------- feature-gated

  // Only organizations with the `advanced_analytics` feature flag get here.
  app.get(
    '/api/advanced-analytics',
    requireAuth,
    requireOrganization,
    requireFeature('advanced_analytics'),
    handle(async (req, res) => {
      const { rows } = await db.withOrganization(req.organization.id, (tx) =>
        tx.query('SELECT count(*)::int AS documents FROM documents'), // RLS: this organization's only
      );
      res.json({ analytics: { organization: req.organization.name, documents: rows[0].documents } });
    }),
  );

  // Errors from WorkOS calls (NotFoundException, UnprocessableEntityException, …) carry an
  // HTTP status; anything else is a 500.
  app.use((err, req, res, next) => {
    const status = Number.isInteger(err.status) && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) console.error('[demo app]', err);
    res.status(status).json({ error: status === 500 ? 'Internal error' : err.message });
  });

  return app;
}

/** Express 4 does not catch rejected promises: send them to the error handler. */
function handle(fn) {
  return (req, res, next) => fn(req, res).catch(next);
}

function generateTenantId() {
  return `tenant_${randomUUID()}`;
}

/**
 * The sealed session: the cookie requireAuth has just set if it refreshed an expired access
 * token (the request's one then holds a spent refresh token), else the request's cookie.
 * (No cookie-parser needed.)
 */
function sessionCookie(req, res) {
  const set = [].concat(res.getHeader('Set-Cookie') ?? []);
  return cookieValue(set.map((c) => c.split(';')[0]).join('; '), 'wos-session') ?? cookieValue(req.headers.cookie, 'wos-session');
}

function cookieValue(header, name) {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
