// Access tokens and session cookies made by hand, for the session tests (sessions.test.mjs,
// require-auth.test.mjs, differences.test.mjs).
//
//   const keys = signingKey('kid_1');                      // RSA-2048 pair + its public JWK
//   mock.route('GET', '/sso/jwks/client_test', { json: jwks(keys) });
//   const token = accessToken(keys, { sid: 'session_1', org_id: 'org_1' });   // RS256, exp in 1 h
//   const bad = signJwt({ sub: 'u' }, { alg: 'HS256', secret: 'x' });
//   const cookie = seal({ accessToken: token, ... }, COOKIE_PASSWORD);        // Fe26.2, like the SDK
//   unseal(cookie, COOKIE_PASSWORD)                        // { text, version } or null
//
// The sealer follows sdk-8.13-surface.md §6.2 (iron-webcrypto "Fe26.2": AES-256-CBC +
// HMAC-SHA256, both keys PBKDF2-SHA1 with 1 iteration over the password, salted with the UTF-8
// bytes of a 64-char hex string) and reproduces its test vector (SEAL_VECTOR). Every part can
// be chosen, so cookies with one specific defect can be made.

import { createCipheriv, createDecipheriv, createHmac, generateKeyPairSync, pbkdf2Sync, randomBytes, sign, timingSafeEqual } from 'node:crypto';

/** The cookie password of the SDK's own specs (39 characters). */
export const COOKIE_PASSWORD = 'alongcookiesecretmadefortestingsessions';
/** Another valid password: cookies sealed with it are foreign to COOKIE_PASSWORD. */
export const OTHER_PASSWORD = 'a-completely-different-cookie-password-0123456789';
export const SHORT_PASSWORD_ERROR = 'Password string too short (min 32 characters required)';

/** §6.2's test vector: `{"foo":"bar"}` sealed with COOKIE_PASSWORD, salts 'a'×64 / 'b'×64, IV 16×0x01. */
export const SEAL_VECTOR =
  'Fe26.2*1*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa*AQEBAQEBAQEBAQEBAQEBAQ*LHkSALK1hotD0F5DNcOpLA**' +
  'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb*2HRhVdzyWVnZPl4YG4791-UvXu4Me5E2OToC3DH6ctY~2';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// ---------------------------------------------------------------------------------------
// JWTs

/** An RSA-2048 key pair for `kid`, with its public JWK (`alg: 'RS256'`, `use: 'sig'`). */
export function signingKey(kid = 'kid_test') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

/** A JWKS document with the public keys of `keys` (each a signingKey() result or a bare JWK). */
export function jwks(...keys) {
  return { keys: keys.map((k) => k.jwk ?? k) };
}

/**
 * A compact JWS of `payload` (an object, or a string used as the payload text).
 *   alg     'RS256' (default, needs `key`), 'RS384', 'HS256' (needs `secret`), 'none' (no signature)
 *   key     a signingKey() result: signs, and gives the default `kid`
 *   kid     the header's kid (null: none; default key.kid)
 *   header  extra header fields
 */
export function signJwt(payload, { alg = 'RS256', key, kid = key?.kid ?? null, header = {}, secret = 'secret' } = {}) {
  const head = { alg, typ: 'JWT', ...(kid === null ? {} : { kid }), ...header };
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const input = `${b64url(JSON.stringify(head))}.${b64url(body)}`;
  let signature;
  if (alg === 'none') signature = '';
  else if (alg.startsWith('HS')) signature = b64url(createHmac(`sha${alg.slice(2)}`, secret).update(input).digest());
  else if (alg.startsWith('RS')) signature = b64url(sign(`sha${alg.slice(2)}`, Buffer.from(input), key.privateKey));
  else throw new Error(`tokens.mjs: cannot sign ${alg}`);
  return `${input}.${signature}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * An RS256 access token signed with `key`, shaped like WorkOS's: `sub`, `sid`, optional
 * `org_id`/`role`/…, `iat` now and `exp` in an hour unless `claims` say otherwise (a claim set
 * to undefined is left out).
 */
export function accessToken(key, claims = {}, opts = {}) {
  const now = nowSeconds();
  const payload = { iss: 'https://api.workos.test', sub: 'user_1', sid: 'session_1', iat: now, exp: now + 3600, ...claims };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  return signJwt(payload, { key, ...opts });
}

/** The payload of a JWT, unverified. */
export function decodeJwt(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** `token` with one character of its signature changed (still valid base64url). */
export function badSignature(token) {
  const [h, p, s] = token.split('.');
  return `${h}.${p}.${flipChar(s, 10)}`;
}

// ---------------------------------------------------------------------------------------
// Fe26.2 seals

const deriveKey = (password, saltHex) => pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(saltHex, 'utf8'), 1, 32, 'sha1');

/**
 * Seals `data` (JSON.stringify'd; a string given as `text` is sealed verbatim) like the SDK:
 * `Fe26.2*1*<encSalt>*<iv>*<ciphertext>*<expiration>*<macSalt>*<mac>~2`. Options choose any part:
 *   encSalt, macSalt (64 hex chars), iv (16 bytes), expiration ('' or ms epoch, as text),
 *   passwordId ('1'), prefix ('Fe26.2'), suffix ('~2'; '' for none)
 */
export function seal(data, password, opts = {}) {
  const {
    text = JSON.stringify(data),
    encSalt = randomBytes(32).toString('hex'),
    macSalt = randomBytes(32).toString('hex'),
    iv = randomBytes(16),
    expiration = '',
    passwordId = '1',
    prefix = 'Fe26.2',
    suffix = '~2',
  } = opts;
  const cipher = createCipheriv('aes-256-cbc', deriveKey(password, encSalt), iv);
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  const base = [prefix, passwordId, encSalt, b64url(iv), b64url(ciphertext), String(expiration)].join('*');
  const mac = b64url(createHmac('sha256', deriveKey(password, macSalt)).update(base).digest());
  return `${base}*${macSalt}*${mac}${suffix}`;
}

/** The JSON text inside a seal made with `password` and its version, or null when it does not open. */
export function unseal(sealed, password) {
  const [body, version] = sealed.split('~');
  const parts = body.split('*');
  if (parts.length !== 8 || parts[0] !== 'Fe26.2') return null;
  const mac = createHmac('sha256', deriveKey(password, parts[6])).update(parts.slice(0, 6).join('*')).digest();
  const given = Buffer.from(parts[7], 'base64url');
  if (given.length !== mac.length || !timingSafeEqual(given, mac)) return null;
  const decipher = createDecipheriv('aes-256-cbc', deriveKey(password, parts[2]), Buffer.from(parts[3], 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(parts[4], 'base64url')), decipher.final()]).toString('utf8');
  return { text, version };
}

/** The 8 `*`-separated parts of a seal and its `~` suffix. */
export function sealParts(sealed) {
  const i = sealed.indexOf('~');
  const body = i === -1 ? sealed : sealed.slice(0, i);
  return { parts: body.split('*'), suffix: i === -1 ? '' : sealed.slice(i) };
}

export const joinSeal = (parts, suffix) => parts.join('*') + suffix;

/**
 * How the oracle (@workos-inc/node 8.13.0) decodes a seal's base64 MAC, which depends on the
 * runtime: with `Uint8Array.fromBase64` where it exists (Node 26 on), which takes the base64url
 * alphabet only and throws a SyntaxError; elsewhere with atob, which takes either alphabet and
 * throws a DOMException named InvalidCharacterError. workos-native reads both alphabets on every
 * runtime and answers a malformed MAC with invalid_session_cookie.
 */
export const OFFICIAL_BASE64 =
  typeof Uint8Array.fromBase64 === 'function'
    ? { mixedAlphabets: false, errorClass: 'SyntaxError', errorName: 'SyntaxError', message: /cannot be part of a valid base64 string|terminates with a single character/ }
    : { mixedAlphabets: true, errorClass: 'DOMException', errorName: 'InvalidCharacterError', message: /Invalid character/ };

const HEX = '0123456789abcdef';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `s` with the character at `i` replaced by another of the same alphabet (hex, digits or base64url). */
export function flipChar(s, i) {
  const c = s[i];
  const alphabet = /^[0-9a-f]+$/.test(s) ? HEX : /^[0-9]+$/.test(s) ? '0123456789' : B64URL;
  const at = alphabet.indexOf(c);
  const next = at === -1 ? alphabet[0] : alphabet[(at + 1) % alphabet.length];
  return s.slice(0, i) + next + s.slice(i + 1);
}
