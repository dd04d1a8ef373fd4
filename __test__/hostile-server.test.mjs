// Hostile or broken servers: every kind of bad answer ends the call in a clear, typed error
// (or, where the answer is acceptable, a result), never a crash or a hang, and the same client
// answers the next call normally.
//
// "Typed" here: one of the SDK's exception classes, or the SDK's `Error('Unexpected error: …')`
// (with a `ParseError` cause when the body is the problem). Bodies come from the recording mock
// (helpers/mock-server.mjs) or, for what node:http will not send (1xx, broken framing, bytes
// that are not HTTP), from a raw TCP server (helpers/fast-mock.mjs).

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import zlib from 'node:zlib';

import { startMock } from './helpers/mock-server.mjs';
import { startRawServer } from './helpers/fast-mock.mjs';
import { workosNative } from './helpers/wire-fixtures.mjs';

const { WorkOS, OauthException, GenericServerException, ParseError, UnauthorizedException } = workosNative;

const API_KEY = 'sk_test_hostile_server_secret_9f8e7d';
const P = '/organizations/org_1';
const ORG = {
  object: 'organization',
  id: 'org_1',
  name: 'Org 1',
  allow_profiles_outside_organization: false,
  domains: [],
  created_at: '2024-01-01T00:00:00.000Z',
  updated_at: '2024-01-01T00:00:00.000Z',
  external_id: null,
  metadata: {},
};
const ORG_TEXT = JSON.stringify(ORG);
const OK = { json: ORG };

const servers = new Set();
after(async () => {
  await Promise.all([...servers].map((s) => s.close()));
});

function client(server, opts = {}) {
  return new WorkOS(API_KEY, { apiHostname: server.hostname, port: server.port, https: false, maxRetries: 0, timeout: 2000, ...opts });
}

/** A fresh recording mock (its routes answer GET P with OK unless something is enqueued). */
async function setup(opts) {
  const mock = await startMock();
  servers.add(mock);
  mock.route('GET', P, OK);
  return { mock, workos: client(mock, opts) };
}

/** A fresh raw server; `script` answers every request (after a switch to `ok`, see usable). */
async function rawSetup(opts) {
  const raw = await startRawServer();
  servers.add(raw);
  return { raw, workos: client(raw, opts) };
}

const okResponse = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(ORG_TEXT)}\r\n\r\n${ORG_TEXT}`;

/** The call's error (the test fails if it resolves). */
async function failure(promise) {
  try {
    const v = await promise;
    assert.fail(`expected a rejection, got ${util.inspect(v, { depth: 1 }).slice(0, 200)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e;
  }
}

/** `Error('Unexpected error: ParseError: …')` whose cause is a ParseError for this status. */
function assertParseError(e, status, { bodyLength } = {}) {
  assert.ok(e instanceof Error && e.constructor === Error, `expected a plain Error, got ${e?.constructor?.name}: ${e?.message}`);
  assert.match(e.message, /^Unexpected error: ParseError: /);
  assert.ok(e.cause instanceof ParseError, `cause: ${e.cause}`);
  assert.equal(e.cause.rawStatus, status);
  assert.equal(typeof e.cause.rawBody, 'string');
  if (bodyLength !== undefined) assert.equal(e.cause.rawBody.length, bodyLength);
}

/** `Error('Unexpected error: …')` without a cause: a transport failure. */
function assertTransportError(e, pattern) {
  assert.ok(e instanceof Error && e.constructor === Error, `expected a plain Error, got ${e?.constructor?.name}: ${e?.message}`);
  assert.match(e.message, /^Unexpected error: /);
  if (pattern) assert.match(e.message, pattern);
}

function assertTimeout(e) {
  assert.ok(e instanceof OauthException, `expected OauthException (timeout), got ${e?.constructor?.name}: ${e?.message}`);
  assert.equal(e.status, 408);
  assert.equal(e.error, 'Request timeout');
}

/** The key never shows in what an error carries. */
function assertNoKey(e) {
  const seen = [e?.message, e?.stack, util.inspect(e, { depth: Infinity, showHidden: true }), JSON.stringify(e)].join('\n');
  assert.ok(!seen.includes(API_KEY), 'the API key appears in the error');
}

/** The client still answers a plain call (after a fault). */
async function usable(workos, server) {
  if (server.script !== undefined) server.script = (socket) => socket.write(okResponse);
  else server.enqueue('GET', P, OK);
  const org = await workos.organizations.getOrganization('org_1');
  assert.equal(org.id, 'org_1');
}

describe('2xx answers that are not the JSON object expected', { concurrency: true }, () => {
  for (const [label, desc, status] of [
    ['malformed JSON', { body: '{"id": "org_1", ', contentType: 'application/json' }, 200],
    ['an empty body', { body: '', contentType: 'application/json' }, 200],
    ['JSON null', { body: 'null', contentType: 'application/json' }, 200],
    ['a JSON array', { json: [ORG] }, 200],
    ['a JSON string', { json: 'org_1' }, 200],
    ['an HTML page', { body: '<html><body>Service Unavailable</body></html>', contentType: 'text/html' }, 200],
    ['JSON labelled text/plain', { body: ORG_TEXT, contentType: 'text/plain' }, 200],
    ['no content type at all', { body: ORG_TEXT, headers: { 'content-type': null } }, 200],
    ['201 with malformed JSON', { status: 201, body: '{{', contentType: 'application/json' }, 201],
  ]) {
    test(`${label}: Unexpected error with a ParseError cause`, async () => {
      const { mock, workos } = await setup();
      mock.enqueue('GET', P, desc);
      const e = await failure(workos.organizations.getOrganization('org_1'));
      assertParseError(e, status);
      assert.match(e.cause.requestID, /^req_\d+$/);
      await usable(workos, mock);
    });
  }

  test('a JSON body labelled `Application/JSON; charset=UTF-8` is read (media types are case-insensitive)', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', P, { body: ORG_TEXT, contentType: 'Application/JSON; charset=UTF-8' });
    const org = await workos.organizations.getOrganization('org_1');
    assert.equal(org.id, 'org_1');
  });

  test('`Content-Encoding: gzip` with bytes that do not decompress: a ParseError, no crash', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', P, { body: Buffer.from('definitely not gzip'), contentType: 'application/json', headers: { 'content-encoding': 'gzip' } });
    const e = await failure(workos.organizations.getOrganization('org_1'));
    assertParseError(e, 200);
    await usable(workos, mock);
  });

  test('`Content-Encoding: gzip` the client did not ask for (valid gzip): a result or a ParseError', async (t) => {
    const { mock, workos } = await setup();
    const req = mock.requests;
    mock.enqueue('GET', P, { body: zlib.gzipSync(ORG_TEXT), contentType: 'application/json', headers: { 'content-encoding': 'gzip' } });
    const outcome = await workos.organizations.getOrganization('org_1').then(
      (org) => org,
      (e) => e,
    );
    if (outcome instanceof Error) assertParseError(outcome, 200);
    else assert.equal(outcome.id, 'org_1');
    t.diagnostic(`Accept-Encoding sent: ${req[0].headers['accept-encoding'] ?? '(none)'}; unsolicited gzip → ${outcome instanceof Error ? 'ParseError' : 'decoded'}`);
    await usable(workos, mock);
  });

  test('invalid UTF-8 inside a complete JSON body: decoded with U+FFFD (as res.json() does) or a ParseError that says why', async () => {
    const { raw, workos } = await rawSetup();
    const at = ORG_TEXT.indexOf('"Org 1"');
    // `"name":"Org \xff\xfe"`: a complete, well-formed JSON text but for two bytes that are not UTF-8.
    const body = Buffer.concat([Buffer.from(ORG_TEXT.slice(0, at + 5)), Buffer.from([0xff, 0xfe]), Buffer.from(ORG_TEXT.slice(at + 6))]);
    raw.script = (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
      socket.write(body);
    };
    const outcome = await workos.organizations.getOrganization('org_1').then(
      (org) => org,
      (e) => e,
    );
    if (outcome instanceof Error) {
      assertParseError(outcome, 200);
      assert.doesNotMatch(outcome.message, /Unexpected end of JSON input/, 'the body is complete; the message names the wrong problem');
    } else {
      assert.equal(outcome.name, 'Org \uFFFD\uFFFD');
    }
    await usable(workos, raw);
  });

  test('JSON nested 100 000 deep: a clear error (no stack overflow), and a message that says why', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', P, { body: '['.repeat(100_000) + ']'.repeat(100_000), contentType: 'application/json' });
    const e = await failure(workos.organizations.getOrganization('org_1'));
    assertParseError(e, 200);
    assert.doesNotMatch(e.message, /Unexpected end of JSON input/, 'the body is complete; the message names the wrong problem');
    await usable(workos, mock);
  });

  test('`__proto__` and `constructor` keys in a body pollute nothing', async () => {
    const { mock, workos } = await setup();
    const text = ORG_TEXT.replace('"metadata":{}', '"metadata":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
    mock.enqueue('GET', P, { body: text, contentType: 'application/json' });
    const org = await workos.organizations.getOrganization('org_1');
    assert.equal({}.polluted, undefined);
    assert.equal(Object.getPrototypeOf(org.metadata), Object.prototype);
    assert.deepEqual(Object.keys(org.metadata), ['__proto__', 'constructor']);
    assert.equal(org.metadata.polluted, undefined);
  });

  test('204 and 202 without a body where JSON was expected: a ParseError; for a void method, a result', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', P, { status: 204 });
    assertParseError(await failure(workos.organizations.getOrganization('org_1')), 204, { bodyLength: 0 });
    mock.enqueue('GET', P, { status: 202 });
    assertParseError(await failure(workos.organizations.getOrganization('org_1')), 202, { bodyLength: 0 });
    mock.enqueue('DELETE', P, { status: 204 });
    assert.equal(await workos.organizations.deleteOrganization('org_1'), undefined);
    await usable(workos, mock);
  });
});

describe('bodies cut short, slow or too large', { concurrency: true }, () => {
  test('content-length larger than what is sent (connection left open): the timeout, ≈ timeout ms', async () => {
    const { mock, workos } = await setup({ timeout: 500 });
    mock.enqueue('GET', P, { body: ORG_TEXT, contentType: 'application/json', headers: { 'content-length': String(ORG_TEXT.length + 1000) } });
    const t0 = performance.now();
    assertTimeout(await failure(workos.organizations.getOrganization('org_1')));
    const ms = performance.now() - t0;
    assert.ok(ms >= 450 && ms < 2000, `${ms.toFixed(0)} ms`);
    await usable(workos, mock);
  });

  test('content-length larger than what is sent, then the connection closes: body could not be read', async () => {
    const { raw, workos } = await rawSetup();
    raw.script = (socket) => socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n${ORG_TEXT}`);
    assertTransportError(await failure(workos.organizations.getOrganization('org_1')), /body could not be read/);
    await usable(workos, raw);
  });

  test('a body that drips past the timeout: the timeout fires on time (it covers the body)', async () => {
    const { mock, workos } = await setup({ timeout: 600 });
    mock.enqueue('GET', P, { json: ORG, dripMs: 20 }); // ≈ 4 s for the whole body
    const t0 = performance.now();
    assertTimeout(await failure(workos.organizations.getOrganization('org_1')));
    const ms = performance.now() - t0;
    assert.ok(ms >= 550 && ms < 1500, `timed out after ${ms.toFixed(0)} ms`);
    await usable(workos, mock);
  });

  test('a reset mid-body: a transport error', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', P, { json: { ...ORG, pad: 'x'.repeat(100_000) }, resetMidBody: true });
    assertTransportError(await failure(workos.organizations.getOrganization('org_1')), /body could not be read|connection/);
    await usable(workos, mock);
  });

  test('a reset before any answer: a transport error', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', P, { reset: true });
    assertTransportError(await failure(workos.organizations.getOrganization('org_1')));
    await usable(workos, mock);
  });

  test('a 50 MB JSON body: a result (or a clear refusal), no crash', async () => {
    const { mock, workos } = await setup();
    const pad = 50 * 1024 * 1024;
    const body = Buffer.concat([Buffer.from(ORG_TEXT.slice(0, -1)), Buffer.from(',"pad":"'), Buffer.alloc(pad, 'a'), Buffer.from('"}')]);
    mock.enqueue('GET', P, { body, contentType: 'application/json' });
    const outcome = await workos.organizations.getOrganization('org_1').then(
      (org) => org,
      (e) => e,
    );
    if (outcome instanceof Error) assertTransportError(outcome, /larger than/);
    else assert.equal(outcome.id, 'org_1');
    await usable(workos, mock);
  });

  test('a body over 64 MiB (declared): refused at once, and not retried', async () => {
    const { raw, workos } = await rawSetup({ maxRetries: 3 });
    raw.script = (socket) => socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${64 * 1024 * 1024 + 1}\r\n\r\n{"id":`);
    const t0 = performance.now();
    const e = await failure(workos.organizations.getOrganization('org_1'));
    assertTransportError(e, /larger than 64 MiB/);
    assert.ok(performance.now() - t0 < 1000, 'refused from the header, without reading');
    assert.equal(raw.stats.requests, 1, 'a too-large answer is not retried');
    await usable(workos, raw);
  });

  test('a body over 64 MiB (streamed, no length): refused once 64 MiB have arrived, not buffered without end', async () => {
    const { raw, workos } = await rawSetup({ maxRetries: 3, timeout: 20_000 });
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    raw.script = (socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
      const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
      const pump = () => {
        while (!socket.destroyed && sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!socket.write(frame)) return socket.once('drain', pump);
        }
        if (!socket.destroyed) socket.end('0\r\n\r\n');
      };
      socket.on('error', () => {});
      pump();
    };
    const e = await failure(workos.organizations.getOrganization('org_1'));
    assertTransportError(e, /larger than 64 MiB/);
    assert.ok(sent < 100 * 1024 * 1024, `${(sent / 1024 / 1024).toFixed(0)} MiB sent before the client stopped reading`);
    assert.equal(raw.stats.requests, 1, 'a too-large answer is not retried');
    await usable(workos, raw);
  });
});

describe('redirects are not followed, and the API key stays home', { concurrency: true }, () => {
  for (const [status, method] of [
    [301, 'GET'],
    [302, 'GET'],
    [303, 'GET'],
    [307, 'GET'],
    [308, 'GET'],
    [307, 'POST'],
    [308, 'PUT'],
  ]) {
    test(`${status} on ${method} to another host`, async () => {
      const { mock, workos } = await setup({ maxRetries: 2 });
      const elsewhere = await startMock();
      servers.add(elsewhere);
      elsewhere.route('*', /.*/, { json: { ...ORG, id: 'org_evil' } });
      const target = `${elsewhere.url}/steal${P}`;
      mock.route(method, /.*/, { status, headers: { location: target } });
      const call = {
        GET: () => workos.organizations.getOrganization('org_1'),
        POST: () => workos.organizations.createOrganization({ name: 'Acme' }),
        PUT: () => workos.organizations.updateOrganization({ organization: 'org_1', name: 'N' }),
      }[method];
      const e = await failure(call());
      assertParseError(e, status, { bodyLength: 0 });
      assertNoKey(e);
      assert.equal(elsewhere.requests.length, 0, 'the other host was contacted');
      assert.equal(mock.requests.length, 1, 'one request, no retry of a 3xx');
      assert.equal(mock.requests[0].headers.authorization, `Bearer ${API_KEY}`);
      mock.reset();
      mock.route('GET', P, OK);
      await usable(workos, mock);
      assert.equal(elsewhere.requests.length, 0);
    });
  }

  test('a 302 with a JSON body: GenericServerException with status 302, not followed', async () => {
    const { mock, workos } = await setup();
    const elsewhere = await startMock();
    servers.add(elsewhere);
    mock.enqueue('GET', P, { status: 302, json: { message: 'moved' }, headers: { location: `${elsewhere.url}${P}` } });
    const e = await failure(workos.organizations.getOrganization('org_1'));
    assert.ok(e instanceof GenericServerException, `${e}`);
    assert.equal(e.status, 302);
    assert.equal(e.message, 'moved');
    assert.equal(elsewhere.requests.length, 0);
    await usable(workos, mock);
  });
});

describe('HTTP errors without bodies', { concurrency: true }, () => {
  for (const status of [400, 401, 403, 404, 409, 422, 429, 500, 502, 503]) {
    test(`${status} with an empty body: a ParseError for that status, no crash`, async () => {
      const { mock, workos } = await setup();
      mock.enqueue('GET', P, { status });
      const e = await failure(workos.organizations.getOrganization('org_1'));
      assertParseError(e, status, { bodyLength: 0 });
      assertNoKey(e);
      await usable(workos, mock);
    });
  }

  test('503 without a body, retried: the same error after the last attempt', async () => {
    const { mock, workos } = await setup({ maxRetries: 1 });
    mock.enqueue('GET', P, { status: 503 }, { status: 503 });
    const e = await failure(workos.organizations.getOrganization('org_1'));
    assertParseError(e, 503, { bodyLength: 0 });
    assert.equal(mock.requests.length, 2);
    await usable(workos, mock);
  });

  test('401 with an empty JSON object: UnauthorizedException', async () => {
    const { mock, workos } = await setup();
    mock.enqueue('GET', P, { status: 401, json: {} });
    const e = await failure(workos.organizations.getOrganization('org_1'));
    assert.ok(e instanceof UnauthorizedException);
    assertNoKey(e);
    await usable(workos, mock);
  });

  test('an error status outside HTTP\'s range (599, 999): GenericServerException with that status', async () => {
    const { raw, workos } = await rawSetup();
    for (const status of [599, 999]) {
      raw.script = (socket) => socket.write(`HTTP/1.1 ${status} Weird\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`);
      const e = await failure(workos.organizations.getOrganization('org_1'));
      assert.ok(e instanceof GenericServerException, `${status}: ${e}`);
      assert.equal(e.status, status);
    }
    await usable(workos, raw);
  });
});

describe('1xx and answers that are not HTTP', { concurrency: true }, () => {
  test('100 Continue, then the answer: a result', async () => {
    const { raw, workos } = await rawSetup();
    raw.script = (socket) => socket.write(`HTTP/1.1 100 Continue\r\n\r\n${okResponse}`);
    assert.equal((await workos.organizations.getOrganization('org_1')).id, 'org_1');
  });

  test('103 Early Hints, then the answer: a result', async () => {
    const { raw, workos } = await rawSetup();
    raw.script = (socket) => socket.write(`HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n${okResponse}`);
    assert.equal((await workos.organizations.getOrganization('org_1')).id, 'org_1');
  });

  test('100 Continue and nothing more (connection left open): the timeout', async () => {
    const { raw, workos } = await rawSetup({ timeout: 500 });
    raw.script = (socket) => socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    assertTimeout(await failure(workos.organizations.getOrganization('org_1')));
    await usable(workos, raw);
  });

  test('100 Continue, then the connection closes: a transport error', async () => {
    const { raw, workos } = await rawSetup();
    raw.script = (socket) => socket.end('HTTP/1.1 100 Continue\r\n\r\n');
    assertTransportError(await failure(workos.organizations.getOrganization('org_1')));
    await usable(workos, raw);
  });

  test('101 Switching Protocols nobody asked for: a typed error', async () => {
    const { raw, workos } = await rawSetup();
    raw.script = (socket) => socket.end('HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n');
    const e = await failure(workos.organizations.getOrganization('org_1'));
    assert.ok(e.constructor === Error && /^Unexpected error: /.test(e.message), `${e?.constructor?.name}: ${e?.message}`);
    await usable(workos, raw);
  });

  for (const [label, bytes, pattern] of [
    ['bytes that are not HTTP', 'HELLO THERE\r\n\r\n', /invalid HTTP version/],
    ['an HTTP/0.9-style bare body', ORG_TEXT, /invalid HTTP version|connection closed/],
    ['a non-numeric status code', 'HTTP/1.1 abc OK\r\n\r\n', /invalid HTTP status-code/],
    ['two different content-lengths', `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${ORG_TEXT.length}\r\ncontent-length: 3\r\n\r\n${ORG_TEXT}`, /content-length/],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', /chunk/],
    ['a 1 MiB header', `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(1024 * 1024)}\r\ncontent-length: 2\r\n\r\n{}`, /too large/],
    ['1 000 headers', `HTTP/1.1 200 OK\r\n${Array.from({ length: 1000 }, (_, i) => `x-h${i}: v`).join('\r\n')}\r\ncontent-length: 2\r\n\r\n{}`, /too large|headers/],
    ['a NUL in a header', `HTTP/1.1 200 OK\r\nx-request-id: a\u0000b\r\ncontent-length: 2\r\n\r\n{}`, /header/],
    ['an immediate close', '', /connection closed/],
  ]) {
    test(`${label}: a transport error`, async () => {
      const { raw, workos } = await rawSetup();
      raw.script = (socket) => socket.end(bytes);
      const e = await failure(workos.organizations.getOrganization('org_1'));
      assertTransportError(e, pattern);
      assertNoKey(e);
      await usable(workos, raw);
    });
  }

  test('accepted but never answered: every concurrent call times out, then the client works', async () => {
    const { raw, workos } = await rawSetup({ timeout: 400 });
    raw.script = () => {};
    const errors = await Promise.all(Array.from({ length: 20 }, () => failure(workos.organizations.getOrganization('org_1'))));
    for (const e of errors) assertTimeout(e);
    await usable(workos, raw);
  });

  test('nothing listening: a transport error naming the connection', async () => {
    const { raw, workos } = await rawSetup();
    await raw.close();
    const e = await failure(workos.organizations.getOrganization('org_1'));
    assertTransportError(e, /connection failed|connect/i);
    assertNoKey(e);
  });
});
