// A typed use of every export of workos-native, compiled with --strict (never run) by
// __test__/typings.test.mjs. Type assertions (`same<A, B>()`) make sure the typings give
// exact types, not `any`.

import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import {
  ApiKeyRequiredException,
  AuthenticateWithSessionCookieFailureReason,
  AutoPaginatable,
  BadRequestException,
  ConflictException,
  CookieSession,
  DomainDataState,
  GenericServerException,
  GuardError,
  NoApiKeyProvidedException,
  NotFoundException,
  OauthException,
  OrganizationDomainState,
  OrganizationDomainVerificationStrategy,
  ParseError,
  RateLimitExceededException,
  RefreshSessionFailureReason,
  SignatureVerificationException,
  UnauthorizedException,
  UnprocessableEntityException,
  WorkOS,
  createGuards,
  createWorkOS,
} from 'workos-native';
import type {
  ApiKey,
  AuthenticateWithSessionCookieFailedResponse,
  AuthenticateWithSessionCookieResponse,
  AuthenticateWithSessionCookieSuccessResponse,
  AuthenticationResponse,
  CreateAuditLogEventOptions,
  CreatedApiKey,
  FeatureFlag,
  GuardErrorCode,
  GuardSession,
  GuardUser,
  Guards,
  GuardsOptions,
  Invitation,
  ListMetadata,
  Organization,
  OrganizationDomain,
  OrganizationMembership,
  RefreshSessionResponse,
  RefreshSessionSuccessResponse,
  Role,
  RoleList,
  SessionCookieData,
  User,
  WorkOSOptions,
} from 'workos-native';
import * as namespace from 'workos-native';
import defaultExport from 'workos-native';

// ---- type-level helpers: `same<A, B>()` compiles only when A and B are the same type.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
declare function same<A, B>(...ok: Equal<A, B> extends true ? [] : [never]): void;
type NotAny<T> = 0 extends 1 & T ? false : true;
declare function notAny<T>(...ok: NotAny<T> extends true ? [] : [never]): void;

// ---- the client
const options: WorkOSOptions = {
  apiHostname: 'localhost',
  port: 8080,
  https: false,
  clientId: 'client_123',
  timeout: 5_000,
  maxRetries: 2,
  appInfo: { name: 'app', version: '1.0.0' },
  config: { headers: { 'x-extra': '1' } },
};
const workos = new WorkOS('sk_test_123', options);
const fromOptions = new WorkOS({ apiKey: 'sk_test_123', clientId: 'client_123' });
const fromEnv = new WorkOS();
const created: WorkOS = createWorkOS({ apiKey: 'sk_test_123' });
same<typeof workos.baseURL, string>();
same<typeof workos.clientId, string | undefined>();
same<typeof workos.key, string | undefined>();
same<typeof workos.version, string>();
same<typeof workos.options, WorkOSOptions>();
void [fromOptions, fromEnv, created];

// The ESM default export and the namespace are the same module object as the named exports.
same<typeof defaultExport.WorkOS, typeof WorkOS>();
same<typeof namespace.createGuards, typeof createGuards>();

async function organizations(): Promise<void> {
  const orgs = workos.organizations;
  const list = await orgs.listOrganizations({ domains: ['acme.com'], limit: 10, order: 'desc', after: 'org_1' });
  same<typeof list, AutoPaginatable<Organization, namespace.ListOrganizationsOptions>>();
  const first: Organization[] = list.data;
  const metadata: ListMetadata = list.listMetadata;
  const after: string | null | undefined = list.listMetadata.after;
  const all: Organization[] = await list.autoPagination();
  for await (const org of list) {
    same<typeof org, Organization>();
  }
  const isList: boolean = list instanceof AutoPaginatable;
  const object: 'list' = list.object;
  void [first, metadata, after, all, isList, object, list.options.domains, list.list.data];

  const org = await orgs.createOrganization(
    {
      name: 'Acme',
      domainData: [
        { domain: 'acme.com', state: DomainDataState.Verified },
        { domain: 'acme.org', state: 'pending' },
      ],
      externalId: 'ext_1',
      metadata: { plan: 'free' },
    },
    { idempotencyKey: 'key-1', maxRetries: 0 },
  );
  same<typeof org, Organization>();
  const domain: OrganizationDomain | undefined = org.domains[0];
  if (domain) {
    const state: 'verified' | 'pending' | 'failed' = domain.state;
    const strategy: 'dns' | 'manual' = domain.verificationStrategy;
    const verified = domain.state === OrganizationDomainState.Verified;
    const manual = domain.verificationStrategy === OrganizationDomainVerificationStrategy.Manual;
    void [state, strategy, verified, manual, domain.organizationId, domain.verificationToken];
  }
  const externalId: string | null = org.externalId;
  const name: string = org.name;
  void [externalId, name, org.allowProfilesOutsideOrganization, org.stripeCustomerId, org.metadata.plan];

  same<Awaited<ReturnType<typeof orgs.getOrganization>>, Organization>();
  await orgs.getOrganization(org.id);
  await orgs.getOrganizationByExternalId('ext_1');
  await orgs.updateOrganization({ organization: org.id, name: 'Acme Inc', stripeCustomerId: null, metadata: { plan: 'pro' } });
  const deleted: void = await orgs.deleteOrganization(org.id);
  void deleted;

  const roles: RoleList = await orgs.listOrganizationRoles({ organizationId: org.id });
  const role: Role | undefined = roles.data[0];
  if (role) {
    const slug: string = role.slug;
    const type: 'EnvironmentRole' | 'OrganizationRole' = role.type;
    void [slug, type, role.permissions, role.description];
  }

  const flags = await orgs.listOrganizationFeatureFlags({ organizationId: org.id, limit: 5 });
  for await (const flag of flags) {
    same<typeof flag, FeatureFlag>();
    const key: string = flag.key; // alias of slug
    const enabled: boolean = flag.enabled;
    void [key, enabled];
  }

  const keys = await orgs.listOrganizationApiKeys({ organizationId: org.id });
  for await (const key of keys) {
    same<typeof key, ApiKey>();
    void [key.name, key.obfuscatedValue, key.owner.id, key.lastUsedAt];
  }
  const apiKey = await orgs.createOrganizationApiKey(
    { organizationId: org.id, name: 'Production', permissions: ['read'] },
    { idempotencyKey: 'api-key-1' },
  );
  same<typeof apiKey, CreatedApiKey>();
  const secret: string = apiKey.secret; // alias of value
  const value: string = apiKey.value;
  const asApiKey: ApiKey = apiKey;
  void [secret, value, asApiKey];
}

async function userManagement(): Promise<void> {
  const um = workos.userManagement;
  const clientId: string | undefined = um.clientId;
  void clientId;

  const user = await um.createUser({ email: 'a@acme.com', password: 'pw', firstName: 'A', emailVerified: true, metadata: { x: '1' } });
  same<typeof user, User>();
  await um.getUser(user.id);
  await um.updateUser({ userId: user.id, firstName: null, locale: 'en-US', metadata: { x: null } });
  const users = await um.listUsers({ email: 'a@acme.com', organizationId: 'org_1', limit: 1 });
  for await (const u of users) same<typeof u, User>();
  await um.deleteUser(user.id);

  const membership = await um.createOrganizationMembership({ organizationId: 'org_1', userId: user.id, roleSlug: 'admin' });
  same<typeof membership, OrganizationMembership>();
  await um.createOrganizationMembership({ organizationId: 'org_1', userId: user.id, roleSlugs: ['admin', 'billing'] });
  const roleSlug: string = membership.roleSlug; // alias of role.slug
  const status: 'active' | 'inactive' | 'pending' = membership.status;
  void [roleSlug, status, membership.role.slug, membership.roles, membership.organizationName];
  await um.getOrganizationMembership(membership.id);
  await um.updateOrganizationMembership(membership.id, { roleSlug: 'member' });
  await um.updateOrganizationMembership(membership.id, { roleSlugs: ['member'] });
  await um.deactivateOrganizationMembership(membership.id);
  await um.reactivateOrganizationMembership(membership.id);
  const memberships = await um.listOrganizationMemberships({ userId: user.id, statuses: ['active', 'inactive'] });
  for await (const m of memberships) same<typeof m, OrganizationMembership>();
  await um.deleteOrganizationMembership(membership.id);

  const invitation = await um.sendInvitation({ email: 'b@acme.com', organizationId: 'org_1', expiresInDays: 7, inviterUserId: user.id, roleSlug: 'member' });
  same<typeof invitation, Invitation>();
  const state: 'pending' | 'accepted' | 'expired' | 'revoked' = invitation.state;
  void state;
  await um.getInvitation(invitation.id);
  await um.findInvitationByToken(invitation.token);
  const invitations = await um.listInvitations({ organizationId: 'org_1' });
  for await (const i of invitations) same<typeof i, Invitation>();
  await um.resendInvitation(invitation.id, { locale: 'fr' });
  await um.acceptInvitation(invitation.id);
  await um.revokeInvitation(invitation.id);

  const jwks: string = um.getJwksUrl('client_123');
  const logout: string = um.getLogoutUrl({ sessionId: 'session_1', returnTo: 'https://example.com' });
  void [jwks, logout];

  // Sessions
  const session = um.loadSealedSession({ sessionData: 'Fe26.2*...', cookiePassword: 'a'.repeat(32) });
  same<typeof session, CookieSession>();
  const isSession: boolean = session instanceof CookieSession;
  const authenticated = await session.authenticate();
  same<typeof authenticated, AuthenticateWithSessionCookieResponse>();
  if (authenticated.authenticated) {
    same<typeof authenticated, AuthenticateWithSessionCookieSuccessResponse>();
    const sessionId: string = authenticated.sessionId;
    const accessToken: string = authenticated.accessToken;
    const email: string = authenticated.user.email;
    const permissions: string[] | undefined = authenticated.permissions;
    void [sessionId, accessToken, email, permissions, authenticated.organizationId, authenticated.role, authenticated.impersonator?.email];
  } else {
    same<typeof authenticated, AuthenticateWithSessionCookieFailedResponse>();
    const reason: 'invalid_jwt' | 'invalid_session_cookie' | 'no_session_cookie_provided' = authenticated.reason;
    const invalid = authenticated.reason === AuthenticateWithSessionCookieFailureReason.INVALID_JWT;
    void [reason, invalid];
  }
  const refreshed: RefreshSessionResponse = await session.refresh({ organizationId: 'org_2', cookiePassword: 'b'.repeat(32) });
  if (refreshed.authenticated) {
    same<typeof refreshed, RefreshSessionSuccessResponse>();
    const cookie: string = refreshed.sealedSession;
    const response: AuthenticationResponse = refreshed.session;
    void [cookie, response.refreshToken, refreshed.user.id, refreshed.sessionId];
  } else if (refreshed.reason === RefreshSessionFailureReason.INVALID_GRANT) {
    const reason: 'invalid_grant' = refreshed.reason;
    void reason;
  }
  const logoutUrl: string = await session.getLogoutUrl({ returnTo: 'https://example.com' });
  const direct = new CookieSession(um, 'Fe26.2*...', 'a'.repeat(32));
  void [isSession, logoutUrl, direct.sessionData];

  const fromCookie = await um.authenticateWithSessionCookie({ sessionData: 'Fe26.2*...', cookiePassword: 'a'.repeat(32) });
  same<typeof fromCookie, AuthenticateWithSessionCookieResponse>();
  const data = await um.getSessionFromCookie({ sessionData: 'Fe26.2*...' });
  same<typeof data, SessionCookieData | undefined>();
  const cookieUser: User | undefined = data?.user;
  const tokens = await um.authenticateWithRefreshToken({
    refreshToken: 'refresh_1',
    organizationId: 'org_1',
    ipAddress: '127.0.0.1',
    userAgent: 'test',
    session: { sealSession: true, cookiePassword: 'a'.repeat(32) },
  });
  same<typeof tokens, AuthenticationResponse>();
  const sealed: string | undefined = tokens.sealedSession;
  void [cookieUser, sealed, tokens.accessToken, tokens.authenticationMethod, tokens.oauthTokens?.scopes];
}

async function auditLogs(): Promise<void> {
  const event: CreateAuditLogEventOptions = {
    action: 'user.signed_in',
    occurredAt: new Date(),
    actor: { id: 'user_1', type: 'user', name: 'A', metadata: { admin: true } },
    targets: [{ id: 'team_1', type: 'team' }],
    context: { location: '127.0.0.1', userAgent: 'test' },
    metadata: { attempts: 1 },
  };
  const done: void = await workos.auditLogs.createEvent('org_1', event, { idempotencyKey: 'event-1' });
  await workos.auditLogs.createEvent('org_1', { ...event, occurredAt: '2026-01-01T00:00:00.000Z', version: 2 });
  void done;
}

// ---- exceptions
function describeError(error: unknown): string {
  if (error instanceof NotFoundException) return `${error.status} ${error.requestID} ${error.code ?? ''}`;
  if (error instanceof UnauthorizedException) return `${error.status} ${error.requestID}`;
  if (error instanceof BadRequestException) return `${error.status} ${error.code ?? ''} ${error.errors?.length ?? 0}`;
  if (error instanceof UnprocessableEntityException) return `${error.status} ${error.code ?? ''}`;
  if (error instanceof ConflictException) return `${error.status} ${error.requestID}`;
  if (error instanceof RateLimitExceededException) return `${error.status} ${error.retryAfter ?? 'no retry-after'}`;
  if (error instanceof GenericServerException) return `${error.status} ${error.requestID} ${String(error.rawData)}`;
  if (error instanceof OauthException) return `${error.status} ${error.error ?? ''} ${error.errorDescription ?? ''}`;
  if (error instanceof ParseError) return `${error.status} ${error.rawStatus} ${error.rawBody}`;
  if (error instanceof ApiKeyRequiredException) return `${error.status} ${error.path}`;
  if (error instanceof NoApiKeyProvidedException) return `${error.status} ${error.name}`;
  if (error instanceof SignatureVerificationException) return error.message;
  if (error instanceof GuardError) return `${error.status} ${error.code} ${error.body.error} ${error.expose}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
const exceptions: Error[] = [
  new ApiKeyRequiredException('/organizations'),
  new GenericServerException(502, 'Bad gateway', {}, 'req_1'),
  new BadRequestException({ code: 'invalid', message: 'Bad', requestID: 'req_1' }),
  new NoApiKeyProvidedException(),
  new NotFoundException({ path: '/organizations/x', requestID: 'req_1' }),
  new OauthException(400, 'req_1', 'invalid_grant', 'expired', {}),
  new RateLimitExceededException('Slow down', 'req_1', 30),
  new SignatureVerificationException('bad signature'),
  new UnauthorizedException('req_1'),
  new UnprocessableEntityException({ errors: [{ code: 'name_required', field: 'name' }], requestID: 'req_1' }),
  new ConflictException({ error: 'conflict', requestID: 'req_1' }),
  new ParseError({ message: 'Unexpected token', rawBody: '<html>', rawStatus: 502, requestID: 'req_1' }),
  new GuardError({ status: 403, code: 'insufficient_role', error: 'Requires one of: admin' }),
];
void exceptions.map(describeError);

// ---- Express guards
const guardOptions: GuardsOptions = {
  organizationHeader: 'x-org',
  resolveOrganizationId: (req) => req.params.orgId,
  getUserId: (req) => req.user?.id,
  onError: (err, _req, res, _next) => {
    const code: GuardErrorCode = err.code;
    res.status(err.status).json({ ...err.body, code });
  },
  cacheTtlMs: 30_000,
  negativeCacheTtlMs: 5_000,
  maxEntries: 1_000,
};
const guards: Guards = createGuards(workos, guardOptions);
const passOn = createGuards(workos, { onError: 'next' });
const defaults = createGuards(workos);
const { requireAuth, requireOrganization, requireRole, requireFeature } = guards;

const app = express();
app.use(requireAuth({ cookieName: 'wos-session', cookiePassword: 'a'.repeat(32) }));
app.get(
  '/api/organizations/:orgId/analytics',
  requireAuth(),
  requireOrganization,
  requireRole('admin', 'owner'),
  requireRole(['billing']),
  requireFeature('advanced_analytics'),
  (req, res) => {
    // What the guards set on the request (Express's Request, augmented).
    notAny<typeof req.user>();
    same<typeof req.membership, OrganizationMembership | undefined>();
    same<typeof req.organization, Organization | undefined>();
    same<typeof req.session, GuardSession | undefined>();
    same<typeof req.user, GuardUser | undefined>();
    const userId: string | undefined = req.user?.id;
    const role: string | undefined = req.membership?.roleSlug;
    const organizationName: string | undefined = req.organization?.name;
    const sessionId: string | undefined = req.session?.sessionId;
    res.json({ userId, role, organizationName, sessionId });
  },
);
app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
  if (err instanceof GuardError) return void res.status(err.statusCode).json(err.body);
  next(err);
});
// An app's own authentication may set req.user: any object with an id, or a WorkOS User.
app.use((req, _res, next) => {
  req.user = { id: 'user_1', email: 'a@acme.com' };
  next();
});
app.use(async (req, _res, next) => {
  const user: User = await workos.userManagement.getUser('user_1');
  req.user = user;
  const email: unknown = req.user.email;
  void email;
  next();
});
guards.invalidate({ userId: 'user_1' });
guards.invalidate({ organizationId: 'org_1' });
guards.invalidate();
passOn.clear();
defaults.clear();

void [organizations, userManagement, auditLogs];
