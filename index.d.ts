// Type definitions for workos-native: the organization-management surface of
// @workos-inc/node 8.13.0 (with sealed sessions), plus async-iterable lists, the compatibility
// aliases (`CreatedApiKey.secret`, `FeatureFlag.key`, `OrganizationMembership.roleSlug`) and
// the Express guards (`createGuards`), typed with Express's types (@types/express), whose
// `Request` this file augments with `user`, `session`, `membership` and `organization`.

import type { NextFunction, Request, RequestHandler, Response } from 'express';

// ---------------------------------------------------------------- client

export interface AppInfo {
  name: string;
  version: string;
}

export interface WorkOSOptions {
  apiKey?: string;
  apiHostname?: string;
  /** Default `true`. */
  https?: boolean;
  port?: number;
  clientId?: string;
  /** Only `config.headers` is used, as in the official SDK. */
  config?: { headers?: Record<string, string> | [string, string][] };
  appInfo?: AppInfo;
  /** Per-attempt timeout in milliseconds, covering connect, headers and body. Default 60000. */
  timeout?: number;
  /** Retries on 408/429/5xx and network errors. Default 3; 0 disables. (workos-native) */
  maxRetries?: number;
}

export interface RequestOptions {
  idempotencyKey?: string;
  /** Overrides the client's `maxRetries` for this call. (workos-native) */
  maxRetries?: number;
}

export class WorkOS {
  constructor(keyOrOptions?: string | WorkOSOptions, maybeOptions?: WorkOSOptions);
  readonly baseURL: string;
  readonly clientId: string | undefined;
  readonly key: string | undefined;
  readonly options: WorkOSOptions;
  readonly version: string;
  readonly organizations: Organizations;
  readonly userManagement: UserManagement;
  readonly auditLogs: AuditLogs;
}

export function createWorkOS(options: WorkOSOptions): WorkOS;

// ---------------------------------------------------------------- lists

export interface ListMetadata {
  before?: string | null;
  after?: string | null;
  [key: string]: unknown;
}

export interface List<T> {
  object: 'list';
  data: T[];
  listMetadata: ListMetadata;
}

export interface PaginationOptions {
  limit?: number;
  before?: string | null;
  after?: string | null;
  order?: 'asc' | 'desc' | 'normal';
}

/** A page of results that can also be walked whole with `for await`. */
export class AutoPaginatable<T, P = PaginationOptions> implements AsyncIterable<T> {
  /** Made by the list methods only. */
  private constructor();
  readonly object: 'list';
  readonly options: P;
  readonly list: List<T>;
  readonly data: T[];
  readonly listMetadata: ListMetadata;
  /** Every item of every page (or the first page when `limit` was given). */
  autoPagination(): Promise<T[]>;
  /** Every item across pages, fetched lazily (only the first page when `limit` was given). */
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined>;
}

// ---------------------------------------------------------------- organizations

export declare const DomainDataState: { readonly Verified: 'verified'; readonly Pending: 'pending' };
export type DomainDataState = (typeof DomainDataState)[keyof typeof DomainDataState];
export declare const OrganizationDomainState: { readonly Verified: 'verified'; readonly Pending: 'pending'; readonly Failed: 'failed' };
export type OrganizationDomainState = (typeof OrganizationDomainState)[keyof typeof OrganizationDomainState];
export declare const OrganizationDomainVerificationStrategy: { readonly Dns: 'dns'; readonly Manual: 'manual' };
export type OrganizationDomainVerificationStrategy = (typeof OrganizationDomainVerificationStrategy)[keyof typeof OrganizationDomainVerificationStrategy];

export interface DomainData {
  domain: string;
  /** `'verified'` or `'pending'` (string literals are accepted, as well as `DomainDataState`). */
  state: DomainDataState | 'verified' | 'pending';
}

export interface OrganizationDomain {
  object: 'organization_domain';
  id: string;
  domain: string;
  organizationId: string;
  state: OrganizationDomainState;
  verificationToken?: string;
  verificationStrategy: OrganizationDomainVerificationStrategy;
  verificationPrefix?: string;
  createdAt: string;
  updatedAt: string;
}

export interface Organization {
  object: 'organization';
  id: string;
  name: string;
  allowProfilesOutsideOrganization: boolean;
  domains: OrganizationDomain[];
  stripeCustomerId?: string | null;
  createdAt: string;
  updatedAt: string;
  externalId: string | null;
  metadata: Record<string, string>;
}

export interface ListOrganizationsOptions extends PaginationOptions {
  domains?: string[];
}

export interface CreateOrganizationOptions {
  name: string;
  domainData?: DomainData[];
  externalId?: string | null;
  metadata?: Record<string, string>;
}

export interface UpdateOrganizationOptions {
  organization: string;
  name?: string;
  domainData?: DomainData[];
  stripeCustomerId?: string | null;
  externalId?: string | null;
  metadata?: Record<string, string>;
}

export interface Role {
  object: 'role';
  id: string;
  name: string;
  slug: string;
  description: string | null;
  permissions: string[];
  resourceTypeSlug: string;
  type: 'EnvironmentRole' | 'OrganizationRole';
  createdAt: string;
  updatedAt: string;
}

export interface RoleList {
  object: 'list';
  data: Role[];
}

export interface FeatureFlag {
  object: 'feature_flag';
  id: string;
  name: string;
  slug: string;
  description: string | null;
  tags: string[];
  enabled: boolean;
  defaultValue: boolean;
  createdAt: string;
  updatedAt: string;
  /** Alias of `slug` (non-enumerable). */
  readonly key: string;
}

export interface ApiKeyOwner {
  type: 'organization';
  id: string;
}

export interface ApiKey {
  object: 'api_key';
  id: string;
  owner: ApiKeyOwner;
  name: string;
  obfuscatedValue: string;
  lastUsedAt: string | null;
  permissions: string[];
  createdAt: string;
  updatedAt: string;
}

export interface CreatedApiKey extends ApiKey {
  /** The secret; returned once, at creation. */
  value: string;
  /** Alias of `value` (non-enumerable). */
  readonly secret: string;
}

export interface ListOrganizationFeatureFlagsOptions extends PaginationOptions {
  organizationId: string;
}

export interface ListOrganizationApiKeysOptions extends PaginationOptions {
  organizationId: string;
}

export interface CreateOrganizationApiKeyOptions {
  organizationId: string;
  name: string;
  permissions?: string[];
}

export interface Organizations {
  listOrganizations(options?: ListOrganizationsOptions): Promise<AutoPaginatable<Organization, ListOrganizationsOptions>>;
  createOrganization(payload: CreateOrganizationOptions, requestOptions?: RequestOptions): Promise<Organization>;
  deleteOrganization(id: string): Promise<void>;
  getOrganization(id: string): Promise<Organization>;
  getOrganizationByExternalId(externalId: string): Promise<Organization>;
  updateOrganization(options: UpdateOrganizationOptions): Promise<Organization>;
  listOrganizationRoles(options: { organizationId: string }): Promise<RoleList>;
  listOrganizationFeatureFlags(options: ListOrganizationFeatureFlagsOptions): Promise<AutoPaginatable<FeatureFlag, PaginationOptions>>;
  listOrganizationApiKeys(options: ListOrganizationApiKeysOptions): Promise<AutoPaginatable<ApiKey, PaginationOptions>>;
  createOrganizationApiKey(options: CreateOrganizationApiKeyOptions, requestOptions?: RequestOptions): Promise<CreatedApiKey>;
}

// ---------------------------------------------------------------- user management

/**
 * A type alias rather than an interface (as in @workos-inc/node) so that a `User` can be
 * assigned to `req.user` (`{ id: string } & Record<string, unknown>`): interfaces are not
 * assignable to index-signature types.
 */
export type User = {
  object: 'user';
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string | null;
  profilePictureUrl: string | null;
  lastName: string | null;
  lastSignInAt: string | null;
  locale: string | null;
  createdAt: string;
  updatedAt: string;
  externalId: string | null;
  metadata: Record<string, string>;
};

export type OrganizationMembershipStatus = 'active' | 'inactive' | 'pending';

export interface RoleResponse {
  slug: string;
}

export interface OrganizationMembership {
  object: 'organization_membership';
  id: string;
  userId: string;
  organizationId: string;
  organizationName: string;
  status: OrganizationMembershipStatus;
  directoryManaged: boolean;
  createdAt: string;
  updatedAt: string;
  role: RoleResponse;
  roles?: RoleResponse[];
  customAttributes: Record<string, unknown>;
  /** Alias of `role.slug` (non-enumerable). */
  readonly roleSlug: string;
}

export interface Invitation {
  object: 'invitation';
  id: string;
  email: string;
  state: 'pending' | 'accepted' | 'expired' | 'revoked';
  acceptedAt: string | null;
  revokedAt: string | null;
  expiresAt: string;
  organizationId: string | null;
  inviterUserId: string | null;
  acceptedUserId: string | null;
  token: string;
  acceptInvitationUrl: string;
  createdAt: string;
  updatedAt: string;
}

export type PasswordHashType = 'bcrypt' | 'firebase-scrypt' | 'ssha' | 'scrypt' | 'argon2';

export interface ListUsersOptions extends PaginationOptions {
  email?: string;
  organizationId?: string;
}

export interface CreateUserOptions {
  email: string;
  password?: string;
  passwordHash?: string;
  passwordHashType?: PasswordHashType;
  firstName?: string;
  lastName?: string;
  emailVerified?: boolean;
  externalId?: string | null;
  metadata?: Record<string, string> | null;
}

export interface UpdateUserOptions {
  userId: string;
  email?: string;
  emailVerified?: boolean;
  firstName?: string | null;
  lastName?: string | null;
  password?: string | null;
  passwordHash?: string | null;
  passwordHashType?: PasswordHashType | null;
  externalId?: string | null;
  locale?: string | null;
  metadata?: Record<string, string | null> | null;
}

export interface ListOrganizationMembershipsOptions extends PaginationOptions {
  userId?: string;
  organizationId?: string;
  statuses?: OrganizationMembershipStatus[];
}

export type CreateOrganizationMembershipOptions = {
  organizationId: string;
  userId: string;
} & ({ roleSlug?: string; roleSlugs?: never } | { roleSlug?: never; roleSlugs?: string[] });

export type UpdateOrganizationMembershipOptions =
  | { roleSlug?: string; roleSlugs?: never }
  | { roleSlug?: never; roleSlugs?: string[] };

export interface ListInvitationsOptions extends PaginationOptions {
  email?: string;
  organizationId?: string;
}

export interface SendInvitationOptions {
  email: string;
  organizationId?: string;
  expiresInDays?: number;
  inviterUserId?: string;
  roleSlug?: string;
  locale?: string;
}

export interface ResendInvitationOptions {
  locale?: string;
}

export interface LogoutURLOptions {
  sessionId: string;
  returnTo?: string;
}

/** Wire (snake_case) form of list options, as reported in `list.options`. */
export type SerializedListOptions = Record<string, string | number | undefined | null>;

export interface UserManagement {
  readonly clientId: string | undefined;
  getUser(userId: string): Promise<User>;
  listUsers(options?: ListUsersOptions): Promise<AutoPaginatable<User, SerializedListOptions>>;
  createUser(payload: CreateUserOptions): Promise<User>;
  updateUser(payload: UpdateUserOptions): Promise<User>;
  deleteUser(userId: string): Promise<void>;
  getOrganizationMembership(organizationMembershipId: string): Promise<OrganizationMembership>;
  listOrganizationMemberships(options: ListOrganizationMembershipsOptions): Promise<AutoPaginatable<OrganizationMembership, SerializedListOptions>>;
  createOrganizationMembership(options: CreateOrganizationMembershipOptions): Promise<OrganizationMembership>;
  updateOrganizationMembership(organizationMembershipId: string, options: UpdateOrganizationMembershipOptions): Promise<OrganizationMembership>;
  deleteOrganizationMembership(organizationMembershipId: string): Promise<void>;
  deactivateOrganizationMembership(organizationMembershipId: string): Promise<OrganizationMembership>;
  reactivateOrganizationMembership(organizationMembershipId: string): Promise<OrganizationMembership>;
  getInvitation(invitationId: string): Promise<Invitation>;
  findInvitationByToken(invitationToken: string): Promise<Invitation>;
  listInvitations(options?: ListInvitationsOptions): Promise<AutoPaginatable<Invitation, SerializedListOptions>>;
  sendInvitation(payload: SendInvitationOptions): Promise<Invitation>;
  acceptInvitation(invitationId: string): Promise<Invitation>;
  revokeInvitation(invitationId: string): Promise<Invitation>;
  resendInvitation(invitationId: string, options?: ResendInvitationOptions): Promise<Invitation>;
  getJwksUrl(clientId: string): string;
  getLogoutUrl(options: LogoutURLOptions): string;
  /** A `CookieSession` over a sealed session cookie. Throws when `cookiePassword` is missing. */
  loadSealedSession(options: LoadSealedSessionOptions): CookieSession;
  /** Opens the cookie and verifies its access token against the JWKS (needs a `clientId`). */
  authenticateWithSessionCookie(options: AuthenticateWithSessionCookieOptions): Promise<AuthenticateWithSessionCookieResponse>;
  /** The data sealed in the cookie, without checking its token; `undefined` without `sessionData`. */
  getSessionFromCookie(options: SessionHandlerOptions): Promise<SessionCookieData | undefined>;
  /** Exchanges a refresh token (`session: { sealSession: true, cookiePassword }` also seals a cookie). */
  authenticateWithRefreshToken(payload: AuthenticateWithRefreshTokenOptions): Promise<AuthenticationResponse>;
}

// ---------------------------------------------------------------- audit logs

export interface AuditLogActor {
  id: string;
  name?: string;
  type: string;
  metadata?: Record<string, string | number | boolean>;
}

export interface AuditLogTarget {
  id: string;
  name?: string;
  type: string;
  metadata?: Record<string, string | number | boolean>;
}

export interface CreateAuditLogEventOptions {
  action: string;
  version?: number;
  /** A `Date`, or an ISO 8601 date-time string (workos-native). */
  occurredAt: Date | string;
  actor: AuditLogActor;
  targets: AuditLogTarget[];
  context: { location: string; userAgent?: string };
  metadata?: Record<string, string | number | boolean>;
}

export interface AuditLogs {
  createEvent(organization: string, event: CreateAuditLogEventOptions, options?: RequestOptions): Promise<void>;
}

// ---------------------------------------------------------------- sessions

export type AuthenticationMethod =
  | 'SSO'
  | 'Password'
  | 'Passkey'
  | 'AppleOAuth'
  | 'BitbucketOAuth'
  | 'DiscordOAuth'
  | 'GitHubOAuth'
  | 'GitLabOAuth'
  | 'GoogleOAuth'
  | 'IntuitOAuth'
  | 'LinkedInOAuth'
  | 'MicrosoftOAuth'
  | 'SalesforceOAuth'
  | 'SlackOAuth'
  | 'VercelMarketplaceOAuth'
  | 'VercelOAuth'
  | 'XeroOAuth'
  | 'MagicAuth'
  | 'CrossAppAuth'
  | 'ExternalAuth'
  | 'MigratedSession'
  | 'Impersonation';

export interface Impersonator {
  email: string;
  reason: string | null;
}

export interface OauthTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scopes: string[];
}

export interface AuthenticationResponse {
  user: User;
  organizationId?: string;
  accessToken: string;
  refreshToken: string;
  impersonator?: Impersonator;
  authenticationMethod?: AuthenticationMethod;
  /** The sealed cookie, when `session: { sealSession: true }` was asked for. */
  sealedSession?: string;
  oauthTokens?: OauthTokens;
}

export interface AuthenticateWithSessionOptions {
  cookiePassword?: string;
  sealSession: boolean;
}

export interface AuthenticateWithRefreshTokenOptions {
  refreshToken: string;
  organizationId?: string;
  /** Defaults to the client's `clientId`. */
  clientId?: string;
  ipAddress?: string;
  userAgent?: string;
  session?: AuthenticateWithSessionOptions;
}

export interface LoadSealedSessionOptions {
  sessionData: string;
  cookiePassword: string;
}

export interface AuthenticateWithSessionCookieOptions {
  sessionData: string;
  /** Defaults to `WORKOS_COOKIE_PASSWORD`. */
  cookiePassword?: string;
}

export interface SessionHandlerOptions {
  sessionData: string;
  /** Defaults to `WORKOS_COOKIE_PASSWORD`. */
  cookiePassword?: string;
}

/** What a sealed session cookie holds. (A cookie that does not open gives `{}`.) */
export type SessionCookieData = Pick<
  AuthenticationResponse,
  'accessToken' | 'authenticationMethod' | 'impersonator' | 'organizationId' | 'refreshToken' | 'user'
>;

export interface AuthenticateWithSessionCookieSuccessResponse {
  authenticated: true;
  accessToken: string;
  authenticationMethod: AuthenticationResponse['authenticationMethod'];
  sessionId: string;
  organizationId?: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  entitlements?: string[];
  featureFlags?: string[];
  user: User;
  impersonator?: Impersonator;
}

export interface AuthenticateWithSessionCookieFailedResponse {
  authenticated: false;
  reason: AuthenticateWithSessionCookieFailureReason;
}

export type AuthenticateWithSessionCookieResponse =
  | AuthenticateWithSessionCookieSuccessResponse
  | AuthenticateWithSessionCookieFailedResponse;

export interface RefreshSessionSuccessResponse extends Omit<AuthenticateWithSessionCookieSuccessResponse, 'accessToken'> {
  authenticated: true;
  /** The new cookie (the session now holds it too). */
  sealedSession: string;
  /** The authentication response of the refresh. */
  session: AuthenticationResponse;
}

export interface RefreshSessionFailedResponse {
  authenticated: false;
  reason: RefreshSessionFailureReason;
}

export type RefreshSessionResponse = RefreshSessionSuccessResponse | RefreshSessionFailedResponse;

export interface RefreshSessionOptions {
  /** The password to seal the new cookie with (the session then keeps it). */
  cookiePassword?: string;
  /** Switch the session to this organization. */
  organizationId?: string;
}

/** A sealed session, as `userManagement.loadSealedSession()` returns it. */
export class CookieSession {
  constructor(userManagement: UserManagement, sessionData: string, cookiePassword: string);
  /** The sealed cookie; replaced by a successful `refresh()`. */
  readonly sessionData: string;
  private cookiePassword;
  private userManagement;
  /** A bad cookie or token resolves to `{ authenticated: false, reason }`; it does not throw. */
  authenticate(): Promise<AuthenticateWithSessionCookieResponse>;
  refresh(options?: RefreshSessionOptions): Promise<RefreshSessionResponse>;
  /** Rejects when the session does not authenticate. */
  getLogoutUrl(options?: { returnTo?: string }): Promise<string>;
}

// ---------------------------------------------------------------- sessions (reasons)

export declare const AuthenticateWithSessionCookieFailureReason: {
  readonly INVALID_JWT: 'invalid_jwt';
  readonly INVALID_SESSION_COOKIE: 'invalid_session_cookie';
  readonly NO_SESSION_COOKIE_PROVIDED: 'no_session_cookie_provided';
};
export type AuthenticateWithSessionCookieFailureReason =
  (typeof AuthenticateWithSessionCookieFailureReason)[keyof typeof AuthenticateWithSessionCookieFailureReason];
export declare const RefreshSessionFailureReason: {
  readonly INVALID_SESSION_COOKIE: 'invalid_session_cookie';
  readonly NO_SESSION_COOKIE_PROVIDED: 'no_session_cookie_provided';
  readonly INVALID_GRANT: 'invalid_grant';
  readonly MFA_ENROLLMENT: 'mfa_enrollment';
  readonly SSO_REQUIRED: 'sso_required';
};
export type RefreshSessionFailureReason = (typeof RefreshSessionFailureReason)[keyof typeof RefreshSessionFailureReason];

// ---------------------------------------------------------------- exceptions

export interface UnprocessableEntityError {
  code: string;
  field?: string;
}

export class ApiKeyRequiredException extends Error {
  readonly status: 403;
  readonly name: 'ApiKeyRequiredException';
  readonly path: string;
  constructor(path: string);
}

export class GenericServerException extends Error {
  readonly name: string;
  readonly status: number;
  readonly rawData: unknown;
  readonly requestID: string;
  constructor(status: number, message: string | undefined, rawData: unknown, requestID: string);
}

export class BadRequestException extends Error {
  readonly status: 400;
  readonly name: 'BadRequestException';
  readonly code?: string;
  readonly errors?: unknown[];
  readonly requestID: string;
  constructor(args: { code?: string; errors?: unknown[]; message?: string; requestID: string });
}

export class NoApiKeyProvidedException extends Error {
  readonly status: 500;
  readonly name: 'NoApiKeyProvidedException';
}

export class NotFoundException extends Error {
  readonly status: 404;
  readonly name: 'NotFoundException';
  readonly code?: string;
  readonly requestID: string;
  constructor(args: { code?: string; message?: string; path: string; requestID: string });
}

export class OauthException extends Error {
  readonly name: 'OauthException';
  readonly status: number;
  readonly requestID: string;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly rawData: unknown;
  constructor(status: number, requestID: string, error: string | undefined, errorDescription: string | undefined, rawData: unknown);
}

export class RateLimitExceededException extends GenericServerException {
  readonly name: 'RateLimitExceededException';
  /** Seconds from the `Retry-After` header, or `null` without one. */
  readonly retryAfter: number | null;
  constructor(message: string | undefined, requestID: string, retryAfter: number | null);
}

export class SignatureVerificationException extends Error {
  readonly name: 'SignatureVerificationException';
  constructor(message?: string);
}

export class UnauthorizedException extends Error {
  readonly status: 401;
  readonly name: 'UnauthorizedException';
  readonly requestID: string;
  constructor(requestID: string);
}

export class UnprocessableEntityException extends Error {
  readonly status: 422;
  readonly name: 'UnprocessableEntityException';
  readonly code?: string;
  readonly requestID: string;
  constructor(args: { code?: string; errors?: UnprocessableEntityError[]; message?: string; requestID: string });
}

/** Exported by workos-native (not by 8.13.0). */
export class ConflictException extends Error {
  readonly status: 409;
  readonly name: 'ConflictException';
  readonly requestID: string;
  constructor(args: { error?: string; message?: string; requestID: string });
}

/** The `cause` of an `Error('Unexpected error: ParseError: …')` for a body that is not JSON. */
export class ParseError extends Error {
  readonly name: 'ParseError';
  readonly status: 500;
  readonly rawBody: string;
  readonly rawStatus: number;
  readonly requestID: string;
  constructor(args: { message: string; rawBody: string; rawStatus: number; requestID: string });
}

// ---------------------------------------------------------------- Express guards

/** `req.user`: the session's user (a `User`) with `requireAuth`, or the one your own auth set. */
export type GuardUser = { id: string } & Record<string, unknown>;

/** `req.session` as `requireAuth` sets it from the access token's claims. */
export interface GuardSession {
  sessionId: string;
  organizationId?: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  entitlements?: string[];
  featureFlags?: string[];
  impersonator?: Impersonator;
}

export type GuardErrorCode =
  | 'organization_required'
  | 'not_authenticated'
  | 'not_a_member'
  | 'no_membership'
  | 'insufficient_role'
  | 'feature_disabled'
  | 'upstream_unavailable';

/** The error passed to `next(err)` (or to `onError`) when a guard refuses a request. */
export class GuardError extends Error {
  readonly name: 'GuardError';
  /** 400, 401, 403 or 500. */
  readonly status: number;
  readonly statusCode: number;
  readonly code: GuardErrorCode;
  /** `true` below 500. */
  readonly expose: boolean;
  readonly body: { error: string };
  constructor(args: { status: number; code: GuardErrorCode; error: string; cause?: unknown });
}

/** A value read from the request: a string, or an array whose first string is used. */
export type RequestValue = string | readonly string[] | null | undefined;

export type GuardErrorHandler = (err: GuardError, req: Request, res: Response, next: NextFunction) => void;

export interface GuardsOptions {
  /** Header that names the organization (default `'x-organization-id'`). */
  organizationHeader?: string;
  /** Reads the organization id from the request instead of the header. */
  resolveOrganizationId?: (req: Request) => RequestValue;
  /** Reads the user id from the request (default `req.user?.id`). */
  getUserId?: (req: Request) => RequestValue;
  /**
   * Without it a refusal answers `res.status(status).json({ error })`; `'next'` passes a
   * `GuardError` to `next(err)`; a function receives it instead.
   */
  onError?: 'next' | GuardErrorHandler;
  /** How long memberships, organizations and feature flags are cached (ms, default 30000; 0 disables). */
  cacheTtlMs?: number;
  /** How long "not a member" is trusted (ms, default 5000). */
  negativeCacheTtlMs?: number;
  /** Entries per cache (default 10000). */
  maxEntries?: number;
}

export interface RequireAuthOptions {
  /** Default `'wos-session'`. */
  cookieName?: string;
  /** Default `WORKOS_COOKIE_PASSWORD`; without one, only a `req.user` set by your own auth passes. */
  cookiePassword?: string;
  /** Where the session's claims go on the request (default `'session'`; use another name beside express-session). */
  sessionProperty?: string;
}

export interface Guards {
  /** Sets `req.user` and `req.session` (or `req[sessionProperty]`) from the sealed session cookie (refreshing it once when expired). */
  requireAuth(options?: RequireAuthOptions): RequestHandler;
  /** Sets `req.membership` and `req.organization` for an active member of the request's organization. */
  requireOrganization: RequestHandler;
  /** Passes when `req.membership` has one of these role slugs (arrays are flattened). */
  requireRole(...slugs: Array<string | readonly string[]>): RequestHandler;
  /** Passes when the feature flag is enabled for `req.organization`. */
  requireFeature(key: string): RequestHandler;
  /** Forgets what the caches hold for a user and/or an organization. */
  invalidate(options?: { userId?: string; organizationId?: string }): void;
  /** Empties every cache. */
  clear(): void;
}

/** Express middleware over `workos`. */
export function createGuards(workos: WorkOS, options?: GuardsOptions): Guards;

declare global {
  namespace Express {
    interface Request {
      /** Set by `requireAuth` (or by your own authentication). */
      user?: GuardUser;
      /** Set by `requireAuth` from the session cookie. */
      session?: GuardSession;
      /** Set by `requireOrganization`. */
      membership?: OrganizationMembership;
      /** Set by `requireOrganization`. */
      organization?: Organization;
    }
  }
}
