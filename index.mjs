// ESM entry: the same objects as the CommonJS entry (one native binding per process).
import cjs from './index.js';

export const {
  WorkOS,
  createWorkOS,
  AutoPaginatable,
  CookieSession,
  createGuards,
  GuardError,
  ApiKeyRequiredException,
  BadRequestException,
  ConflictException,
  GenericServerException,
  NoApiKeyProvidedException,
  NotFoundException,
  OauthException,
  ParseError,
  RateLimitExceededException,
  SignatureVerificationException,
  UnauthorizedException,
  UnprocessableEntityException,
  DomainDataState,
  OrganizationDomainState,
  OrganizationDomainVerificationStrategy,
  AuthenticateWithSessionCookieFailureReason,
  RefreshSessionFailureReason,
} = cjs;
export default cjs;
