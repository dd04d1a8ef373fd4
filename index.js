'use strict';
// The public face of workos-native: the classes and exports of @workos-inc/node 8.13.0.
// Behaviour lives in Rust (src/); this file gives it the shapes only JavaScript can express.

const native = loadNative();
const errors = require('./lib/errors.js');
const { AutoPaginatable, settle, settleText } = require('./lib/list.js');
const { makeCreateGuards, GuardError } = require('./lib/guards.js');
const { CookieSession } = require('./lib/session.js');
const { natives, nativeOf } = require('./lib/natives.js');
const { toError } = errors;
const { version: VERSION } = require('./package.json');

function loadNative() {
  try {
    return require('./native.js');
  } catch (e) {
    // In a source checkout the addon is built, not downloaded: say so, not "npm has a bug".
    if (require('node:fs').existsSync(require('node:path').join(__dirname, 'Cargo.toml'))) {
      throw new Error('workos-native: the native addon is not built in this checkout; run `npm run build:debug` (or `npm run build`).', { cause: e });
    }
    throw e;
  }
}

class Organizations {}
class UserManagement {}
class AuditLogs {}
const MODULES = { organizations: Organizations, userManagement: UserManagement, auditLogs: AuditLogs };

// Each module's methods are the operations the native core implements (src/resources/).
for (const { module, method, kind } of native.operations()) {
  const Module = MODULES[module];
  Module.prototype[method] = {
    list: async function (...args) {
      const native = nativeOf(this);
      const { list, options } = await settleText(native.call(module, method, args));
      return new AutoPaginatable(list, { native, module, method, args }, options);
    },
    // async: an argument whose getter throws rejects, as with the official (async) methods.
    call: async function (...args) {
      return settleText(nativeOf(this).call(module, method, args));
    },
    sync: function (...args) {
      try {
        return nativeOf(this).callSync(module, method, args);
      } catch (e) {
        throw toError(e);
      }
    },
  }[kind];
}

// Session methods: their logic is in Rust (src/session/); these only route the call.
Object.assign(UserManagement.prototype, {
  loadSealedSession(options) {
    return new CookieSession(this, options?.sessionData, options?.cookiePassword);
  },
  async authenticateWithSessionCookie(...args) {
    return settle(nativeOf(this).authenticateWithSessionCookie(args));
  },
  async getSessionFromCookie(...args) {
    return settle(nativeOf(this).getSessionFromCookie(args));
  },
  async authenticateWithRefreshToken(...args) {
    return settle(nativeOf(this).authenticateWithRefreshToken(args));
  },
});

function hidden(target, key, value) {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

// `config.headers` may be a `Headers` (or any iterable of pairs), which only JavaScript can read.
function withPlainHeaders(options) {
  const headers = options?.config?.headers;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers) || typeof headers.entries !== 'function') {
    return options;
  }
  return { ...options, config: { ...options.config, headers: Object.fromEntries(headers.entries()) } };
}

const optionsOf = new WeakMap();

class WorkOS {
  constructor(keyOrOptions, maybeOptions) {
    let client;
    try {
      client = new native.NativeClient(withPlainHeaders(keyOrOptions), withPlainHeaders(maybeOptions));
    } catch (e) {
      throw toError(e);
    }
    natives.set(this, client);
    const options = typeof keyOrOptions === 'object' && keyOrOptions !== null ? keyOrOptions : (maybeOptions ?? {});
    // As the official constructor does, record the https default on the caller's object.
    if (options.https === undefined) options.https = true;
    // Kept off the instance (out of util.inspect, even with showHidden, and JSON.stringify):
    // the options may hold the API key.
    optionsOf.set(this, options);
    const id = client.identity();
    this.baseURL = id.baseURL;
    this.clientId = id.clientId;
    this.organizations = new Organizations();
    this.userManagement = new UserManagement();
    this.auditLogs = new AuditLogs();
    for (const m of [this.organizations, this.userManagement, this.auditLogs]) hidden(m, 'workos', this);
    this.userManagement.clientId = id.optionClientId;
  }

  get version() {
    return VERSION;
  }

  /** The options given to the constructor (with `https` defaulted, as the official SDK does). */
  get options() {
    return optionsOf.get(this);
  }

  /** The API key (read through a getter so it never shows in logs or JSON). */
  get key() {
    return natives.get(this).apiKey() ?? undefined;
  }
}

function createWorkOS(options) {
  return new WorkOS(options);
}

const DomainDataState = Object.freeze({ Verified: 'verified', Pending: 'pending' });
const OrganizationDomainState = Object.freeze({ Verified: 'verified', Pending: 'pending', Failed: 'failed' });
const OrganizationDomainVerificationStrategy = Object.freeze({ Dns: 'dns', Manual: 'manual' });
const AuthenticateWithSessionCookieFailureReason = Object.freeze({
  INVALID_JWT: 'invalid_jwt',
  INVALID_SESSION_COOKIE: 'invalid_session_cookie',
  NO_SESSION_COOKIE_PROVIDED: 'no_session_cookie_provided',
});
const RefreshSessionFailureReason = Object.freeze({
  INVALID_SESSION_COOKIE: 'invalid_session_cookie',
  NO_SESSION_COOKIE_PROVIDED: 'no_session_cookie_provided',
  INVALID_GRANT: 'invalid_grant',
  MFA_ENROLLMENT: 'mfa_enrollment',
  SSO_REQUIRED: 'sso_required',
});

const createGuards = makeCreateGuards(native, (workos) => natives.get(workos));

const { toError: _internal, ...exceptions } = errors;

module.exports = {
  WorkOS,
  createWorkOS,
  AutoPaginatable,
  CookieSession,
  createGuards,
  GuardError,
  ...exceptions,
  DomainDataState,
  OrganizationDomainState,
  OrganizationDomainVerificationStrategy,
  AuthenticateWithSessionCookieFailureReason,
  RefreshSessionFailureReason,
};
