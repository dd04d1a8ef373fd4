'use strict';
// Express middleware over the native guard engine (src/guards/). Every decision, cache and
// response text comes from Rust; this file reads the request, applies the decision to
// `req`/`res`/`next`, and makes sure no path calls `next()` without a positive decision and
// no promise is left to reject unhandled (Express 4 does not catch async middleware).

const { toError } = require('./errors.js');
const { decode, decoder, copyOf } = require('./transfer.js');
const { leases } = require('./leases.js');

/** The error passed to `next(err)` (or to `onError`) when a guard refuses a request. */
class GuardError extends Error {
  name = 'GuardError';
  constructor({ status, code, error, cause }) {
    super(error, cause === undefined ? undefined : { cause: toError(cause) });
    this.status = status;
    this.statusCode = status;
    this.code = code;
    this.expose = status < 500;
    this.body = { error };
  }
}

/** How many (membership, decision) pairs requireRole can recognise: requests that interleave
 *  between requireOrganization and requireRole (an async middleware between them) beyond this
 *  are still decided right, by reading the membership. */
const RECENT = 64;

/**
 * On V8 before 13 (Node 20 to 23), a symbol the guards add to a request and delete again as they
 * set their properties on it; on later V8, undefined. Express swaps every request's prototype,
 * after which those V8s give each request a hidden class of its own at every property added, so
 * no property access on a request (in the guards, in Express, in the app) is found in V8's
 * caches. Deleting a property that is not the last one added turns an object to dictionary mode,
 * whose hidden class such requests share. Nothing of it is visible to the app: the request's
 * keys, their order and values are as without it, and the symbol is gone before `next()`.
 * Measured (README, Performance): the benchmark's guarded app 8 % less CPU per request on Node
 * 20; on Node 26, where requests share hidden classes, dictionary mode cost 13 %, hence the test
 * of the version.
 */
const UNSHARE = Number(process.versions.v8.split('.')[0]) < 13 ? Symbol('workos-native.guards') : undefined;

/** `req[key] = value` with UNSHARE added before and deleted after, even if the store throws. */
function storeUnsharing(req, key, value) {
  req[UNSHARE] = true;
  try {
    req[key] = value;
  } finally {
    delete req[UNSHARE];
  }
}

/** The last `size` (object, value) pairs set, found by the object's identity, newest first. */
function recent(size) {
  const objects = new Array(size).fill(undefined);
  const values = new Array(size).fill(undefined);
  let newest = 0;
  return {
    set(object, value) {
      newest = newest + 1 === size ? 0 : newest + 1;
      objects[newest] = object;
      values[newest] = value;
    },
    get(object) {
      if (object === undefined) return undefined;
      for (let n = 0, i = newest; n < size; n++, i = i === 0 ? size - 1 : i - 1) {
        if (objects[i] === object) return values[i];
      }
      return undefined;
    },
  };
}

function single(value) {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' };

function setCookie(res, name, value) {
  if (typeof res.cookie === 'function') return res.cookie(name, value, COOKIE_OPTIONS);
  const cookie = `${name}=${value}; Path=/; HttpOnly; Secure; SameSite=Lax`;
  const previous = res.getHeader?.('Set-Cookie');
  res.setHeader('Set-Cookie', previous ? [].concat(previous, cookie) : cookie);
}

function makeCreateGuards(native, nativeClientOf) {
  return function createGuards(workos, options = {}) {
    const client = nativeClientOf(workos);
    if (!client) throw new TypeError('createGuards: workos must be a WorkOS client from workos-native');
    if (options === null || typeof options !== 'object') throw new TypeError('createGuards: options must be an object');
    const { organizationHeader = 'x-organization-id', resolveOrganizationId, getUserId, onError } = options;
    if (typeof organizationHeader !== 'string' || !organizationHeader) {
      throw new TypeError('createGuards: options.organizationHeader must be a header name');
    }
    for (const [name, fn] of Object.entries({ resolveOrganizationId, getUserId })) {
      if (fn !== undefined && typeof fn !== 'function') throw new TypeError(`createGuards: options.${name} must be a function`);
    }
    if (onError !== undefined && onError !== 'next' && typeof onError !== 'function') {
      throw new TypeError("createGuards: options.onError must be 'next' or a function (err, req, res, next)");
    }
    const { cacheTtlMs, negativeCacheTtlMs, maxEntries } = options;
    let engine;
    try {
      engine = new native.NativeGuards(client, { cacheTtlMs, negativeCacheTtlMs, maxEntries });
    } catch (e) {
      throw toError(e);
    }
    const header = organizationHeader.toLowerCase();
    // Warm decisions repeat: decoded once under their id, then copied (fresh objects for every
    // request).
    const decisions = decoder();
    // Warm answers (a kept decision; a passing feature gate) held while Rust's board says they
    // stand: a warm request makes no native call.
    let board;
    try {
      board = engine.board();
    } catch (e) {
      throw toError(e);
    }
    const heldDecisions = leases(board);
    const heldFeatures = leases(board);
    // The memberships requireOrganization set lately, each with the kept decision that allowed
    // it: requireRole, which runs after it on the same request, decides by that decision's
    // roles when it meets one of those very objects. (A property on the membership would say
    // it for good, but defining one costs more than the rest of a warm requireOrganization.)
    const lately = recent(RECENT);
    const organizationOf = resolveOrganizationId ?? ((req) => req.headers?.[header]);
    const userOf = getUserId ?? ((req) => req.user?.id);

    function refuse(denial, req, res, next) {
      if (onError === undefined) return res.status(denial.status).json({ error: denial.error });
      const err = new GuardError(denial);
      if (onError === 'next') return next(err);
      const handled = onError(err, req, res, next);
      // An async onError that rejects goes to Express's error handler, not to 'unhandledRejection'.
      if (handled && typeof handled.then === 'function') handled.then(undefined, (e) => next(e));
    }

    // Runs `step`, sending any exception it throws to `next` so nothing escapes as an
    // uncaught exception or an unhandled rejection.
    function guarded(step, req, res, next) {
      try {
        step();
      } catch (e) {
        next(e);
      }
    }

    // The native promise resolves to a decision; it rejects only on an internal failure,
    // which denies like an unreachable WorkOS would.
    function later(promise, onDecision, failure, req, res, next) {
      promise.then(
        (d) => guarded(() => onDecision(d), req, res, next),
        (e) => guarded(() => refuse({ status: 500, code: 'upstream_unavailable', error: failure, cause: e }, req, res, next), req, res, next),
      );
    }

    // Applies requireOrganization's decision `d` (`known`: the kept decision it copies, if any).
    function organizationDecided(d, known, req, res, next) {
      if (!d.allow) return refuse(d, req, res, next);
      if (known !== undefined) lately.set(d.membership, known);
      // Nothing else is added to `req` (see UNSHARE: on Node 20 to 23 every property added to
      // an Express request built it a hidden class of its own).
      if (UNSHARE === undefined) req.membership = d.membership;
      else storeUnsharing(req, 'membership', d.membership);
      req.organization = d.organization;
      next();
    }

    // Applies a gate's answer: null lets the request through, anything else is a denial.
    function gateDecided(denial, req, res, next) {
      return denial === null ? next() : refuse(denial, req, res, next);
    }

    function requireOrganization(req, res, next) {
      try {
        const user = single(userOf(req));
        const organization = single(organizationOf(req));
        let known = heldDecisions.get(user, organization);
        if (known === undefined) {
          // Warm: a cached decision's id and how long it stands (its text crosses once per id),
          // or a denial's text.
          const generation = heldDecisions.generation();
          const now = engine.organizationNow(user, organization);
          if (typeof now === 'object' && now !== null) {
            // The text comes along the first time Rust gives an id out.
            const [id, validForMs, given] = now;
            known = decisions.kept(id);
            if (known === undefined) {
              const text = given ?? engine.organizationNowText(user, organization, id);
              if (text !== null) known = decisions.keep(id, text);
            }
            if (known !== undefined) heldDecisions.hold(user, organization, generation, known, validForMs);
          } else if (now !== null) {
            return organizationDecided(decode(now), undefined, req, res, next);
          }
        }
        if (known !== undefined) return organizationDecided(copyOf(known), known, req, res, next);
        later(engine.organization(user, organization), (text) => organizationDecided(decode(text), undefined, req, res, next), 'Failed to verify organization access', req, res, next);
      } catch (e) {
        next(e);
      }
    }

    function requireRole(...slugs) {
      // Bounded before flattening: a huge (sparse) array would take forever to walk.
      if (slugs.length > 100 || slugs.some((s) => Array.isArray(s) && s.length > 100)) {
        throw new TypeError('requireRole: give at most 100 role slugs');
      }
      const allowed = slugs.flat();
      if (allowed.length === 0 || !allowed.every((s) => typeof s === 'string' && s)) {
        throw new TypeError('requireRole: give one or more role slugs');
      }
      const gate = engine.roleGate(allowed);
      // Whether a kept allow decision passes this gate, by Rust's verdicts on every role gate
      // registered so far, asked once per decision (its roles never change) and noted with it;
      // anything else (a refusal's text, a gate made later) is asked of Rust each time.
      const passes = (known) => {
        let verdicts = known.note;
        if (verdicts === undefined) {
          verdicts = engine.roleVerdicts(known.id);
          if (verdicts === null) return false; // no longer in Rust's front cache: asked again next time
          known.note = verdicts;
        }
        return verdicts.includes(gate);
      };
      return function requireRoleMiddleware(req, res, next) {
        try {
          // A membership requireOrganization set lately is decided by its decision; any other
          // req.membership (or one whose decision Rust no longer holds) is read.
          const membership = req.membership;
          const known = lately.get(membership);
          if (known !== undefined && passes(known)) return next();
          let denial = known !== undefined ? engine.roleNow(gate, known.id) : undefined;
          if (denial === undefined) denial = engine.role(gate, membership);
          return gateDecided(denial, req, res, next);
        } catch (e) {
          next(e);
        }
      };
    }

    function requireFeature(key) {
      if (typeof key !== 'string' || !key) throw new TypeError('requireFeature: give a feature flag key');
      const gate = engine.featureGate(key);
      return function requireFeatureMiddleware(req, res, next) {
        try {
          const organization = single(req.organization?.id);
          if (heldFeatures.get(organization, gate) === true) return next();
          // Warm: how long the pass stands (a number), or a denial.
          const generation = heldFeatures.generation();
          const now = engine.featureNow(gate, organization);
          if (typeof now === 'number') {
            heldFeatures.hold(organization, gate, generation, true, now);
            return next();
          }
          if (now !== undefined) return gateDecided(now, req, res, next);
          later(engine.feature(gate, organization), (denial) => gateDecided(denial, req, res, next), 'Failed to verify feature access', req, res, next);
        } catch (e) {
          next(e);
        }
      };
    }

    // With a cookie password (option or WORKOS_COOKIE_PASSWORD), the sealed session cookie
    // authenticates the request (an expired token is refreshed once and the cookie replaced);
    // without one, or without a valid cookie, a `req.user` set by the app's own auth passes.
    function requireAuth(authOptions = {}) {
      const { cookieName = 'wos-session', cookiePassword, sessionProperty = 'session' } = authOptions ?? {};
      if (typeof cookieName !== 'string' || !cookieName) throw new TypeError('requireAuth: cookieName must be a cookie name');
      if (typeof sessionProperty !== 'string' || !sessionProperty) throw new TypeError('requireAuth: sessionProperty must be a property name');
      if (cookiePassword !== undefined && typeof cookiePassword !== 'string') {
        throw new TypeError('requireAuth: cookiePassword must be a string');
      }
      const gate = engine.authGate(cookieName, cookiePassword);
      // A request without a Cookie header is decided by whether the app set req.user and by
      // nothing else (session::AuthRequest::new), so Rust's two answers are asked once.
      const withoutCookie = [engine.authNow(gate, undefined, false), engine.authNow(gate, undefined, true)];
      const authDecided = (d, req, res, next) => {
        if (!d.allow) return refuse(d, req, res, next);
        if (d.user !== undefined) {
          if (UNSHARE === undefined) req.user = d.user;
          else storeUnsharing(req, 'user', d.user);
          req[sessionProperty] = d.session;
        }
        if (d.sealedSession !== undefined) {
          setCookie(res, cookieName, d.sealedSession);
          // Later handlers (the seed's organization switcher reads req.cookies) see the new cookie.
          if (req.cookies && typeof req.cookies === 'object') req.cookies[cookieName] = d.sealedSession;
        }
        next();
      };
      return function requireAuthMiddleware(req, res, next) {
        try {
          const cookie = single(req.headers?.cookie);
          const hasUser = single(userOf(req)) !== undefined;
          const now = cookie === undefined ? withoutCookie[hasUser ? 1 : 0] : engine.authNow(gate, cookie, hasUser);
          if (now === null) return next(); // allowed, nothing to set
          if (now !== undefined) return authDecided(now, req, res, next);
          engine.auth(gate, cookie, hasUser).then(
            (d) => guarded(() => authDecided(d, req, res, next), req, res, next),
            (e) => guarded(() => refuse({ status: 401, code: 'not_authenticated', error: 'Not authenticated', cause: e }, req, res, next), req, res, next),
          );
        } catch (e) {
          next(e);
        }
      };
    }

    return {
      requireAuth,
      requireOrganization,
      requireRole,
      requireFeature,
      invalidate({ userId, organizationId } = {}) {
        engine.invalidate(single(userId), single(organizationId));
      },
      clear() {
        engine.clear();
      },
    };
  };
}

module.exports = { makeCreateGuards, GuardError };
