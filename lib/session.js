'use strict';
// `CookieSession`, as `userManagement.loadSealedSession()` returns it. Unsealing, token checks,
// refresh and result shapes live in Rust (src/session/); this class holds the cookie and its
// password between calls, as the official one does.

const { settle } = require('./list.js');
const { toError } = require('./errors.js');
const { nativeOf } = require('./natives.js');

class CookieSession {
  cookiePassword;
  sessionData;
  #native;

  constructor(userManagement, sessionData, cookiePassword) {
    this.#native = nativeOf(userManagement);
    try {
      this.#native.checkCookiePassword(cookiePassword);
    } catch (e) {
      throw toError(e);
    }
    // Kept off enumerable fields, so logging a session does not dump the client.
    Object.defineProperty(this, 'userManagement', { value: userManagement, writable: true, configurable: true });
    this.cookiePassword = cookiePassword;
    this.sessionData = sessionData;
  }

  /** `{ authenticated: true, sessionId, organizationId, role, … }` or `{ authenticated: false, reason }`. */
  async authenticate() {
    return settle(this.#native.sessionAuthenticate(this.sessionData, this.cookiePassword));
  }

  /** Exchanges the refresh token; on success the session holds the new cookie. */
  async refresh(options = {}) {
    const result = await settle(this.#native.sessionRefresh(this.sessionData, this.cookiePassword, options));
    if (result.authenticated) {
      if (options?.cookiePassword) this.cookiePassword = options.cookiePassword;
      this.sessionData = result.sealedSession;
    }
    return result;
  }

  async getLogoutUrl(options = {}) {
    return settle(this.#native.sessionLogoutUrl(this.sessionData, this.cookiePassword, options));
  }
}

module.exports = { CookieSession };
