// What the guards leave of a request's own shape: its last own keys, its own symbols, and
// whether V8 holds it in fast mode (a hidden class with its properties) or dictionary mode. On V8
// before 13 the guards turn an Express request to dictionary mode as they set their properties
// (lib/guards.js, UNSHARE); on later V8 they leave it as it is.

import v8 from 'node:v8';

// %HasFastProperties is V8's own test; the flag only lets code compiled after it call it.
v8.setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)');

/** True where the guards leave requests in fast mode (V8 13 and later). */
export const FAST_AFTER_GUARDS = Number(process.versions.v8.split('.')[0]) >= 13;

/** A middleware noting each request's own symbols as it passes (before the guards). */
export function noteSymbols() {
  const before = new WeakMap();
  const middleware = (req, res, next) => {
    before.set(req, Object.getOwnPropertySymbols(req));
    next();
  };
  return { middleware, before: (req) => before.get(req) };
}

/** The request's last `n` own keys, the own symbols it has that `symbolsBefore` lacks (their
 *  descriptions), and whether it is in fast mode. */
export function shapeOf(req, symbolsBefore, n = 2) {
  return {
    tail: Object.keys(req).slice(-n),
    newSymbols: Object.getOwnPropertySymbols(req)
      .filter((s) => !symbolsBefore.includes(s))
      .map((s) => s.description),
    fast: hasFastProperties(req),
  };
}
