// Type definitions for workos-native: the organization-management surface of
// @workos-inc/node 8.13.0, plus async-iterable lists and the compatibility aliases
// (`CreatedApiKey.secret`, `FeatureFlag.key`, `OrganizationMembership.roleSlug`).

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

export interface User {
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
}

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
  password?: string;
  passwordHash?: string;
  passwordHashType?: PasswordHashType;
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
