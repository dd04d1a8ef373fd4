// Every deliberate difference between workos-native and the official SDK (@workos-inc/node
// 8.13.0), in one place, plus the normalisation the parity runner (parity.mjs) applies so that
// exactly these differences, and nothing else, are set aside when the two are compared.
//
// Each entry is { id, title, official, native }: what 8.13.0 does, and what workos-native does
// instead. __test__/differences.test.mjs proves every entry with both clients; an entry without a
// demonstration there fails that file.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export const OFFICIAL_VERSION = '8.13.0';
export const NATIVE_VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export const DIFFERENCES = Object.freeze([
  {
    id: 'user-agent',
    title: 'User-Agent names workos-native',
    official: 'User-Agent: workos-node/8.13.0/fetch (node/<process.version>)[ <app>: <version>]',
    native: 'User-Agent: workos-native/<package version> (node/<process.version>)[ <app>: <version>]',
  },
  {
    id: 'retries',
    title: 'Every request is retried on 408/429/500/502/503/504 and network errors',
    official:
      'Only /fga/, /vault/ and /audit_logs/events paths are retried (408/500/502/504, network errors); every ' +
      'organizations call is sent exactly once; a `maxRetries` option is ignored.',
    native:
      'Every request is retried on 408, 429, 500, 502, 503, 504, timeouts and network errors, up to `maxRetries` ' +
      'times (client option, default 3; 0 disables), waiting 500 ms × 1.5^n (capped at 8 s) × jitter [0.5, 1.5), ' +
      'or the Retry-After the server gave (seconds or HTTP date, capped at 60 s).',
  },
  {
    id: 'idempotency-key',
    title: 'POSTs carry a generated Idempotency-Key when retries are enabled',
    official: 'An Idempotency-Key header only when the caller passes { idempotencyKey }.',
    native:
      'A POST without a caller key gets `Idempotency-Key: workos-native-retry-<uuid v4>` (the same on every ' +
      'attempt) unless retries are disabled (maxRetries: 0); PUT/GET/DELETE never get one; a caller key wins.',
  },
  {
    id: 'request-id',
    title: 'requestID is read from the X-Request-ID response header',
    official: "Every HTTP exception has requestID '' (the header is read from a Headers object as a property).",
    native: 'requestID is the X-Request-ID header of the response (\'\' when absent).',
  },
  {
    id: 'path-encoding',
    title: 'Path ids are percent-encoded; empty, "." and ".." ids are refused',
    official:
      "Ids are interpolated raw: 'ext/1 2' → /organizations/external_id/ext/1%202 (the slash splits the path); " +
      "'' → /organizations/ and '..' → / are sent.",
    native:
      "Ids are encoded like encodeURIComponent: 'ext/1 2' → /organizations/external_id/ext%2F1%202; '', '.' " +
      "and '..' reject with a TypeError before any request.",
  },
  {
    id: 'exports',
    title: 'ConflictException and ParseError are exported',
    official: 'Both classes exist (409 → ConflictException, ParseError as a cause) but the package does not export them.',
    native: 'Both are exported, so `err instanceof ConflictException` works.',
  },
  {
    id: 'argument-checks',
    title: 'Bad arguments reject with a TypeError naming them, before any request',
    official:
      "Anything is sent as given: getOrganization(5) → GET /organizations/5, createOrganization({ name: 5 }) → " +
      "{\"name\":5}, a missing name → {}, a missing organizationId → /organizations/undefined/…",
    native:
      "A TypeError such as 'id must be a string, got number' or 'payload.name must be a string, got undefined' " +
      'rejects the call; nothing is sent. Values no request can carry faithfully are refused the same way ' +
      '(official sends them mangled or throws): a string with a lone surrogate (JSON.stringify escapes it as ' +
      '\\ud800, which the API would store), cyclic or very deep objects, symbols, functions, bigints.',
  },
  {
    id: 'iteration',
    title: 'Lists are async-iterable; autoPagination() does not sleep and walks from both ends',
    official:
      "AutoPaginatable has no Symbol.asyncIterator (`for await` throws 'is not async iterable'); autoPagination() " +
      're-requests page 1 and walks forward 100 at a time, sleeping 350 ms between pages.',
    native:
      '`for await (const item of list)` yields every item, fetching later pages lazily (100 at a time, one page ' +
      'ahead; only the first page when `limit` was given, as autoPagination() returns); autoPagination() ' +
      'returns the same array without sleeping, walking from both ends of the list at once when it starts at an ' +
      'end (so the requests differ: some are sent with the opposite order).',
  },
  {
    id: 'timeout-covers-body',
    title: 'The timeout covers reading the body',
    official: 'The timeout stops once the response headers arrive; a slow body is waited for, however long.',
    native: "The timeout covers the whole exchange; a body still arriving when it fires rejects with the 408 OauthException 'Error: Request timeout'.",
  },
  {
    id: 'malformed-success-body',
    title: 'A 2xx whose body is not JSON rejects with ParseError; a null JSON error body reads as {}',
    official:
      "A 2xx with an empty or broken JSON body → TypeError 'Body is unusable: Body has already been read'; a 2xx " +
      "with a non-JSON content type → TypeError \"Cannot read properties of null (reading 'object')\"; an error status " +
      "with the JSON body null → TypeError \"Cannot destructure property 'code' of 'data' as it is null.\"",
    native:
      "Error('Unexpected error: ParseError: <reason>') whose cause is a ParseError { rawBody, rawStatus, requestID }; " +
      'an error status with the body null is mapped as if the body were {} (e.g. 400 → GenericServerException, rawData {}).',
  },
  {
    id: 'network-errors',
    title: 'Network failures are described in other words',
    official: "Error('Unexpected error: TypeError: fetch failed') with the undici TypeError as its cause.",
    native: "Error('Unexpected error: <what failed, e.g. connection failed: …>') without a cause (after any retries).",
  },
  {
    id: 'hidden-client-fields',
    title: 'workos.options and workos.key are not enumerable; version is workos-native\'s; lists have no apiCall',
    official:
      "`options` and `key` are own enumerable fields (util.inspect and JSON.stringify show the API key); " +
      "workos.version is '8.13.0'; list objects have an enumerable `apiCall` function.",
    native:
      '`options` and `key` are getters (not own properties), out of util.inspect (even with showHidden) and ' +
      'JSON.stringify; ' +
      'workos.version is the workos-native package version; list objects have no `apiCall`.',
  },
  {
    id: 'aliases',
    title: 'Non-enumerable aliases feature.key, apiKey.secret and membership.roleSlug',
    official: 'Feature flags have no `key`; created API keys have no `secret`; organization memberships have no `roleSlug`.',
    native:
      'Each feature flag has a non-enumerable `key` (= slug); createOrganizationApiKey\'s result has a ' +
      'non-enumerable `secret` (= value); each organization membership a non-enumerable `roleSlug` (= role.slug). ' +
      'None shows in Object.keys, JSON.stringify or deepStrictEqual.',
  },
  {
    id: 'missing-arrays',
    title: 'Responses lacking an array field deserialize with an empty array',
    official:
      "An organization without `domains`, a list without `data` or a roles answer without `data` (or with null " +
      "there) → TypeError \"Cannot read properties of undefined (reading 'map')\" (\"of null\" for null).",
    native: 'The missing (or null) array reads as [] (domains: [], data: []).',
  },
  {
    id: 'config-header-case',
    title: 'config.headers replace the default header of the same name in any letter case',
    official:
      "Header objects are merged as plain JS objects, so `config.headers: { 'content-type': 'text/plain' }` is " +
      "sent next to the default 'Content-Type' and fetch joins them: 'content-type: application/json, text/plain'.",
    native: "Header names are case-insensitive: the same option sends 'content-type: text/plain'.",
  },
  {
    id: 'audit-log-idempotency-key',
    title: 'createEvent\'s generated Idempotency-Key starts with workos-native-',
    official: 'auditLogs.createEvent without an idempotencyKey sends `Idempotency-Key: workos-node-<uuid>`.',
    native: 'It sends `Idempotency-Key: workos-native-<uuid v4>` (still one per event, the same on every attempt).',
  },
  {
    id: 'occurred-at-string',
    title: 'createEvent accepts occurredAt as an ISO 8601 string',
    official: "event.occurredAt must be a Date: a string throws TypeError 'event.occurredAt.toISOString is not a function' before any request.",
    native:
      'An ISO 8601 date-time string is accepted and sent as Date#toISOString() writes it (UTC, milliseconds); ' +
      "anything else rejects with TypeError 'event.occurredAt must be a valid Date or an ISO 8601 date-time string'.",
  },
  {
    id: 'jwt-no-throw',
    title: 'Access tokens no JWKS key verifies are invalid_jwt, not exceptions; only RS256 is accepted',
    official:
      "CookieSession.authenticate(), authenticateWithSessionCookie() and getLogoutUrl() throw when jose cannot pick " +
      "a key: an unknown `kid` (also an RS384/PS256/… token against the RS256 key) → JWKSNoMatchingKey " +
      "(ERR_JWKS_NO_MATCHING_KEY; the JWKS is reloaded at most once per 5-minute cooldown first); `alg: HS256` or " +
      "`alg: none` → JOSENotSupported ('Unsupported \"alg\" value for a JSON Web Key Set'). Against a JWKS key " +
      'without `alg`, an RS384/RS512/PS256 token that key signed is accepted.',
    native:
      "They answer { authenticated: false, reason: 'invalid_jwt' } (getLogoutUrl: Error('Failed to extract session " +
      "ID for logout URL: invalid_jwt')). Only RS256 tokens verify, whatever the JWKS key says; an unknown kid " +
      'refetches the JWKS at most once per 5 minutes, as jose does.',
  },
  {
    id: 'malformed-cookie-no-throw',
    title: 'Malformed 8-part cookies are invalid_session_cookie, not exceptions',
    official:
      "unsealData throws for a cookie of 8 parts that is malformed: an expiration (part 5) not matching ^[1-9]\\d*$ → " +
      "Error('Invalid expiration'); a MAC (part 7) atob cannot decode (a character outside base64, or 4n+1 " +
      "characters) → DOMException InvalidCharacterError; an authentic seal whose text is not JSON → " +
      "Error('Failed parsing sealed object JSON: …'). authenticate(), authenticateWithSessionCookie(), refresh() and " +
      'getSessionFromCookie() throw it. refresh() of a session without a cookie (sessionData undefined or null) ' +
      "throws TypeError \"Cannot read properties of undefined (reading 'split')\".",
    native:
      "The cookie does not open: authenticate(), authenticateWithSessionCookie() and refresh() → { authenticated: " +
      "false, reason: 'invalid_session_cookie' } (refresh() without a cookie too), getSessionFromCookie() → {}. A cookie password shorter than 32 " +
      "characters still throws Error('Password string too short (min 32 characters required)'), as in 8.13.0.",
  },
  {
    id: 'refresh-unreadable-access-token',
    title: 'refresh() does not need a readable old access token',
    official:
      'CookieSession.refresh() decodes the old access token (for its org_id) before anything else: a cookie whose ' +
      'accessToken is missing or not a JWT throws JWTInvalid (ERR_JWT_INVALID), and no request is sent.',
    native:
      'The old token is read only for its org_id: refresh() exchanges the refresh token (organization_id from the ' +
      'options, else none) and answers as for any other cookie.',
  },
  {
    id: 'jwks-request-headers',
    title: "The JWKS request is sent by workos-native's transport, with its User-Agent",
    official:
      'GET /sso/jwks/{clientId} goes through global fetch (jose): User-Agent: jose/v6.2.2, Accept: application/json, ' +
      'application/jwk-set+json, no Content-Type, no Authorization.',
    native:
      'The same GET carries the headers of workos-native\'s other requests: User-Agent: workos-native/<package ' +
      'version> (node/<process.version>)[ <app>: <version>], Accept: application/json, text/plain, */*, ' +
      'Content-Type: application/json; still no Authorization.',
  },
]);

/** The entry with this id (throws for an unknown id, so a typo cannot pass silently). */
export function difference(id) {
  const d = DIFFERENCES.find((x) => x.id === id);
  if (!d) throw new Error(`differences.mjs: no difference '${id}'`);
  return d;
}

// ---------------------------------------------------------------------------------------
// User-Agent (difference 'user-agent')

const appSuffix = (appInfo) => (appInfo ? ` ${appInfo.name}: ${appInfo.version}` : '');
export const officialUserAgent = (appInfo) => `workos-node/${OFFICIAL_VERSION}/fetch (node/${process.version})${appSuffix(appInfo)}`;
export const nativeUserAgent = (appInfo) => `workos-native/${NATIVE_VERSION} (node/${process.version})${appSuffix(appInfo)}`;

// ---------------------------------------------------------------------------------------
// Requests

/**
 * Request headers left out of the comparison: transport details (added by undici or by the HTTP
 * stack, not by either SDK) and the User-Agent, which differs by design and is checked on its own.
 * Every other header (authorization, content-type, accept, idempotency-key, config headers, and
 * anything unexpected) is compared.
 */
export const IGNORED_REQUEST_HEADERS = Object.freeze([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'accept-language', // undici
  'sec-fetch-mode', // undici
  'accept-encoding', // undici
  'user-agent', // difference 'user-agent'
]);

/** The headers every request of both SDKs is expected to carry (checked by the runner). */
export const COMPARED_REQUEST_HEADERS = Object.freeze(['authorization', 'content-type', 'accept']);

/** A recorded request (mock-server.mjs recordRequest shape) as compared: method, path, query, body, headers. */
export function normalizeRequest(record) {
  const headers = {};
  for (const name of Object.keys(record.headers).sort()) {
    if (!IGNORED_REQUEST_HEADERS.includes(name)) headers[name] = record.headers[name];
  }
  return { method: record.method, path: record.path, query: record.query, body: record.body, headers };
}

export const GENERATED_IDEMPOTENCY_KEY = /^workos-native-retry-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Difference 'idempotency-key': given the official requests and workos-native's (normalised, in
 * the same order), checks that workos-native added a generated key exactly where it should (POSTs
 * the caller gave no key, when retries are enabled) and returns its requests without those keys.
 */
export function withoutGeneratedIdempotencyKeys(officialRequests, nativeRequests, { retries }) {
  return nativeRequests.map((req, i) => {
    const theirs = officialRequests[i];
    const key = req.headers['idempotency-key'];
    if (theirs && theirs.headers['idempotency-key'] !== undefined) return req; // the caller's key: compared as is
    if (req.method === 'POST' && retries) {
      assert.match(key ?? '', GENERATED_IDEMPOTENCY_KEY, `request ${i} (${req.method} ${req.path}) lacks a generated Idempotency-Key`);
      const { 'idempotency-key': _, ...headers } = req.headers;
      return { ...req, headers };
    }
    assert.equal(key, undefined, `request ${i} (${req.method} ${req.path}) must not carry a generated Idempotency-Key`);
    return req;
  });
}

// ---------------------------------------------------------------------------------------
// Outcomes

/** An error as compared: `{ class, ...own enumerable fields, message }`, with its cause (if any) likewise. */
export function normalizeError(err) {
  if (err === null || typeof err !== 'object') return { thrown: err };
  const out = { class: err.constructor?.name, ...err, message: err.message };
  if (err.cause !== undefined) out.cause = normalizeError(err.cause);
  return out;
}

const isList = (v) => v !== null && typeof v === 'object' && typeof v.autoPagination === 'function';
const isPlain = (v) => v !== null && typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype);

/**
 * A list object as compared: its class name, own enumerable fields except `apiCall` (difference
 * 'hidden-client-fields'), and what its `data`/`listMetadata` getters read.
 */
export function normalizeList(list) {
  const { apiCall: _, ...own } = list;
  return { class: list.constructor?.name, ...own, data: list.data, listMetadata: list.listMetadata };
}

/** A resolved value as compared: list objects (anywhere in plain containers) through normalizeList. */
export function normalizeValue(v) {
  if (isList(v)) return normalizeList(v);
  if (!isPlain(v) || !containsList(v)) return v;
  if (Array.isArray(v)) return v.map(normalizeValue);
  const out = {};
  for (const k of Object.keys(v)) out[k] = normalizeValue(v[k]);
  return out;
}

function containsList(v, depth = 0) {
  if (isList(v)) return true;
  if (!isPlain(v) || depth > 8) return false;
  return Object.values(v).some((x) => containsList(x, depth + 1));
}

/** `{ value }` or `{ error }` (normalised) for a settled scenario. */
export function normalizeOutcome(settled) {
  return 'error' in settled ? { error: normalizeError(settled.error) } : { value: normalizeValue(settled.value) };
}

export const REQUEST_ID_PLACEHOLDER = '<x-request-id>';

/**
 * Difference 'request-id': checks the requestID fields of a normalised error (and of its cause)
 * and returns a copy with them replaced by a placeholder.
 *   side              'official' | 'native'
 *   responseRequestId the X-Request-ID of the response the error came from ('' when none)
 * A ParseError carries the header on both sides; every other exception carries it only on
 * workos-native's side ('' on the official one).
 */
export function settleRequestIds(error, side, responseRequestId) {
  if (error === null || typeof error !== 'object' || !('requestID' in error || 'cause' in error)) return error;
  const out = { ...error };
  if ('requestID' in out) {
    const expected = out.class === 'ParseError' || side === 'native' ? responseRequestId : '';
    assert.equal(out.requestID, expected, `${side} ${out.class}.requestID`);
    out.requestID = REQUEST_ID_PLACEHOLDER;
  }
  if (out.cause) out.cause = settleRequestIds(out.cause, side, responseRequestId);
  return out;
}
