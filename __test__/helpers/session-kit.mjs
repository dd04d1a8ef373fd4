// Session cookies and access tokens made by hand, for the hostile-input and secrets tests.
//
//   const key = rsaKey('kid_1');                 // RSA-2048 pair + public JWK (RS256, sig)
//   const token = jwt({ sid: 'session_1' }, { key });          // RS256, exp in an hour
//   const none = jwt({ sid: 's' }, { alg: 'none' });            // unsigned
//   const hs = jwt({ sid: 's' }, { alg: 'HS256', secret });     // HMAC
//   const cookie = sealCookie({ accessToken: token, ... }, PASSWORD);   // Fe26.2, as the SDK seals
//
// The seal is iron-webcrypto's `Fe26.2` (AES-256-CBC + HMAC-SHA256, keys by PBKDF2-SHA1 with one
// iteration over the password, salted with a 64-char hex string), which the SDK uses.

import { createCipheriv, createHmac, generateKeyPairSync, pbkdf2Sync, randomBytes, sign } from 'node:crypto';

export const PASSWORD = 'hostile-tests-cookie-password-0123456789';
export const OTHER_PASSWORD = 'another-cookie-password-that-is-long-enough';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const key32 = (password, salt) => pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), 1, 32, 'sha1');

/** An RSA-2048 key pair with its public JWK. */
export function rsaKey(kid) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

/** A compact JWS. `alg`: 'RS256' (with `key`), 'HS256' (with `secret`), or 'none'. */
export function jwt(claims, { key, alg = 'RS256', kid = key?.kid, secret = 'secret' } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: 'https://api.workos.test', sub: 'user_1', sid: 'session_1', iat: now, exp: now + 3600, ...claims };
  const header = { alg, typ: 'JWT', ...(kid === undefined ? {} : { kid }) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  if (alg === 'none') return `${input}.`;
  if (alg === 'HS256') return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key.privateKey))}`;
}

/** `data` sealed as the SDK seals its session cookie. */
export function sealCookie(data, password) {
  const encSalt = randomBytes(32).toString('hex');
  const macSalt = randomBytes(32).toString('hex');
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key32(password, encSalt), iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  const base = ['Fe26.2', '1', encSalt, b64url(iv), b64url(ciphertext), ''].join('*');
  const mac = b64url(createHmac('sha256', key32(password, macSalt)).update(base).digest());
  return `${base}*${macSalt}*${mac}~2`;
}

/** A wire user object. */
export function wireUser(id = 'user_1') {
  return {
    object: 'user',
    id,
    email: `${id}@example.com`,
    email_verified: true,
    first_name: 'Test',
    last_name: 'User',
    profile_picture_url: null,
    last_sign_in_at: null,
    locale: null,
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
    external_id: null,
    metadata: {},
  };
}
