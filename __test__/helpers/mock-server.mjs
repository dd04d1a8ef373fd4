// A small programmable, recording HTTP server for tests (node:http, 127.0.0.1, random port).
//
//   const mock = await startMock();
//   mock.route('GET', '/organizations/org_1', () => ({ json: { id: 'org_1' } }));
//   mock.enqueue('GET', '/organizations', { status: 500, json: { message: 'boom' } }, { reset: true });
//   mock.route('GET', '/organizations', listRoute(orgs));
//   mock.generatedList('/organizations', 100_000, (i) => org(i));   // items made on demand
//   ... mock.requests[0].searchParams ... mock.requests[0].receivedAt ...
//   await mock.close();
//
// A response is a plain description:
//   { status = 200, headers = {}, json, body (string | Buffer), contentType,
//     delayMs      wait before sending the status line and headers,
//     dripMs       send the body one byte every dripMs,
//     reset        destroy the socket (TCP RST when possible) without answering,
//     resetMidBody send headers and part of the body, then destroy the socket }
// `json` wins over `body` and sets `content-type: application/json`. Every response carries
// `X-Request-ID: req_<counter>` unless `headers` sets another value (or `null` to omit it).
// A header whose value is `null`/`undefined` in `headers` is not sent.

import http from 'node:http';

/** Parse a raw request target into the recorded pieces. */
function splitTarget(target) {
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q + 1);
  return { path, query, searchParams: [...new URLSearchParams(query)] };
}

/** Build the recorded request object (same shape for the mock and the overlay). */
export function recordRequest(req, body) {
  const { path, query, searchParams } = splitTarget(req.url);
  let json;
  if (body.length > 0) {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  return {
    method: req.method,
    path,
    query,
    searchParams,
    headers: { ...req.headers },
    body,
    json,
    url: req.url,
    /** `performance.now()` when the request (with its body) had arrived. */
    receivedAt: performance.now(),
  };
}

/** Read the whole request body as a UTF-8 string; resolves '' if the client goes away. */
export function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('aborted', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

// ---------------------------------------------------------------------------------------
// WorkOS-style cursor pagination

/**
 * Paginate `items` (index 0 = oldest) the way the WorkOS API does.
 *   limit  default 10, clamped to 1..100 (a non-numeric value means the default)
 *   order  'desc' (default, newest first) | 'asc' | 'normal' (desc listing, cursors swapped:
 *          `before` fetches older records, `after` newer ones)
 *   after  id: the page starts right after it; before: id: the page ends right before it.
 *          Unknown cursors are ignored (as the WorkOS emulator does).
 * Returns { object: 'list', data, list_metadata: { before, after } } where `after` is the id
 * of the last item only when more items follow it and `before` is the id of the first item
 * only when items precede it.
 */
export function paginate(items, { limit, order, before, after, idKey = 'id', defaultLimit = 10, maxLimit = 100 } = {}) {
  let n = Number.parseInt(limit ?? '', 10);
  if (!Number.isFinite(n)) n = defaultLimit;
  n = Math.max(1, Math.min(n, maxLimit));
  const ord = order || 'desc';
  const ordered = ord === 'asc' ? [...items] : [...items].reverse();
  const indexOf = (id) => (id ? ordered.findIndex((it) => it[idKey] === id) : -1);

  if (ord === 'normal') {
    // Reversed cursor semantics: `before` walks towards older records (forward in this
    // listing), `after` towards newer ones (backwards).
    [before, after] = [after, before];
  }
  const afterIdx = indexOf(after);
  const beforeIdx = indexOf(before);
  let start = afterIdx === -1 ? 0 : afterIdx + 1;
  let end = beforeIdx === -1 ? ordered.length : beforeIdx;
  if (end < start) end = start;
  if (afterIdx === -1 && beforeIdx !== -1) {
    // Only `before`: the `limit` items closest to the cursor.
    start = Math.max(0, end - n);
  } else {
    end = Math.min(end, start + n);
  }
  const data = ordered.slice(start, end);
  let meta = {
    before: data.length > 0 && start > 0 ? data[0][idKey] : null,
    after: data.length > 0 && end < ordered.length ? data[data.length - 1][idKey] : null,
  };
  if (ord === 'normal') meta = { before: meta.after, after: meta.before };
  return { object: 'list', data, list_metadata: meta };
}

/**
 * A route handler serving WorkOS-style pagination over `items` (wire objects, index 0 =
 * oldest). `items` may be an array (read on every request, so later pushes show up) or a
 * function `(req) => array`. Options: `filter(item, req)`, `map(item, req)`, `idKey`,
 * `defaultLimit`, `maxLimit`, `headers` (extra response headers).
 */
export function listRoute(items, opts = {}) {
  return (req) => {
    const q = new URLSearchParams(req.query);
    let all = typeof items === 'function' ? items(req) : items;
    if (opts.filter) all = all.filter((it) => opts.filter(it, req));
    const page = paginate(all, {
      limit: q.get('limit') ?? undefined,
      order: q.get('order') ?? undefined,
      before: q.get('before') ?? undefined,
      after: q.get('after') ?? undefined,
      idKey: opts.idKey,
      defaultLimit: opts.defaultLimit,
      maxLimit: opts.maxLimit,
    });
    if (opts.map) page.data = page.data.map((it) => opts.map(it, req));
    return { status: 200, json: page, headers: opts.headers };
  };
}

/**
 * `paginate` over `count` items that exist only on demand: `itemAt(i)` builds item `i`
 * (0 = oldest) and `indexOf(id)` finds an item's index (-1 when unknown). Same query rules and
 * answer as `paginate`, but nothing is held, so a list of millions costs only its pages.
 * The default `indexOf` reads the trailing digits of the id and checks `itemAt(n)[idKey]`.
 */
export function paginateGenerated(count, itemAt, { limit, order, before, after, idKey = 'id', indexOf, defaultLimit = 10, maxLimit = 100 } = {}) {
  let n = Number.parseInt(limit ?? '', 10);
  if (!Number.isFinite(n)) n = defaultLimit;
  n = Math.max(1, Math.min(n, maxLimit));
  const ord = order || 'desc';
  const indexAt = (pos) => (ord === 'asc' ? pos : count - 1 - pos);
  const find =
    indexOf ??
    ((id) => {
      const m = /(\d+)$/.exec(String(id));
      if (!m) return -1;
      const i = Number(m[1]);
      return i < count && itemAt(i)[idKey] === id ? i : -1;
    });
  const positionOf = (id) => {
    if (!id) return -1;
    const i = find(id);
    return i < 0 || i >= count ? -1 : ord === 'asc' ? i : count - 1 - i;
  };

  if (ord === 'normal') [before, after] = [after, before];
  const afterPos = positionOf(after);
  const beforePos = positionOf(before);
  let start = afterPos === -1 ? 0 : afterPos + 1;
  let end = beforePos === -1 ? count : beforePos;
  if (end < start) end = start;
  if (afterPos === -1 && beforePos !== -1) start = Math.max(0, end - n);
  else end = Math.min(end, start + n);
  const data = [];
  for (let pos = start; pos < end; pos++) data.push(itemAt(indexAt(pos)));
  let meta = {
    before: data.length > 0 && start > 0 ? data[0][idKey] : null,
    after: data.length > 0 && end < count ? data[data.length - 1][idKey] : null,
  };
  if (ord === 'normal') meta = { before: meta.after, after: meta.before };
  return { object: 'list', data, list_metadata: meta };
}

/**
 * A route handler like `listRoute`, over `count` generated items (see `paginateGenerated`).
 * `count` may be a function `(req) => number`. Options: `idKey`, `indexOf`, `defaultLimit`,
 * `maxLimit`, `headers`, and `respond(description, req)` to alter each answer (add a delay…).
 */
export function generatedListRoute(count, itemAt, opts = {}) {
  return (req) => {
    const q = new URLSearchParams(req.query);
    const page = paginateGenerated(typeof count === 'function' ? count(req) : count, itemAt, {
      limit: q.get('limit') ?? undefined,
      order: q.get('order') ?? undefined,
      before: q.get('before') ?? undefined,
      after: q.get('after') ?? undefined,
      idKey: opts.idKey,
      indexOf: opts.indexOf,
      defaultLimit: opts.defaultLimit,
      maxLimit: opts.maxLimit,
    });
    const desc = { status: 200, json: page, headers: opts.headers };
    return opts.respond ? opts.respond(desc, req) : desc;
  };
}

// ---------------------------------------------------------------------------------------
// Sending a described response

const sleep = (ms, timers) =>
  new Promise((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });

function hardReset(socket) {
  if (!socket || socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/**
 * Write `desc` to `res`. `requestId` is the default X-Request-ID. `timers` collects pending
 * timers so the owner can cancel them on close.
 */
export async function sendDescription(req, res, desc, { requestId, timers = new Set() } = {}) {
  desc = desc ?? {};
  const socket = req.socket;
  const gone = () => res.destroyed || socket.destroyed;
  if (desc.delayMs > 0) await sleep(desc.delayMs, timers);
  if (gone()) return;
  if (desc.reset) {
    hardReset(socket);
    return;
  }

  let body;
  const headers = {};
  if (requestId !== undefined) headers['x-request-id'] = requestId;
  if (desc.json !== undefined) {
    body = Buffer.from(JSON.stringify(desc.json));
    headers['content-type'] = 'application/json';
  } else if (desc.body !== undefined && desc.body !== null) {
    body = Buffer.isBuffer(desc.body) ? desc.body : Buffer.from(String(desc.body));
  } else {
    body = Buffer.alloc(0);
  }
  if (desc.contentType) headers['content-type'] = desc.contentType;
  for (const [k, v] of Object.entries(desc.headers ?? {})) {
    const key = k.toLowerCase();
    if (v === null || v === undefined) delete headers[key];
    else headers[key] = v;
  }
  if (!('content-length' in headers) && !('transfer-encoding' in headers)) {
    headers['content-length'] = String(body.length);
  }

  const status = desc.status ?? 200;
  try {
    res.writeHead(status, headers);
  } catch {
    return;
  }

  if (desc.resetMidBody) {
    res.flushHeaders();
    const part = body.subarray(0, Math.floor(body.length / 2));
    if (part.length === 0) {
      setImmediate(() => socket.destroy());
      return;
    }
    res.write(part, () => setImmediate(() => socket.destroy()));
    return;
  }

  if (desc.dripMs > 0 && body.length > 0) {
    res.flushHeaders();
    for (let i = 0; i < body.length; i++) {
      await sleep(desc.dripMs, timers);
      if (gone()) return;
      res.write(body.subarray(i, i + 1));
    }
    if (!gone()) res.end();
    return;
  }

  res.end(body);
}

// ---------------------------------------------------------------------------------------
// The server

const NO_ROUTE = { status: 404, json: { message: 'mock: no route' } };

/**
 * Start the mock on 127.0.0.1 and a free port.
 * Returns { url, port, hostname, requests, route, enqueue, list, generatedList, reset, close, server }.
 */
export async function startMock({ port = 0 } = {}) {
  const requests = [];
  const sockets = new Set();
  const timers = new Set();
  let routes = [];
  let queues = new Map();
  let counter = 0;
  let closed = false;

  const qkey = (method, path) => `${method.toUpperCase()} ${path}`;

  function findRoutes(method, path) {
    const found = [];
    // Last registration first, so a test can override an earlier route.
    for (let i = routes.length - 1; i >= 0; i--) {
      const r = routes[i];
      if (r.method !== '*' && r.method !== method) continue;
      if (typeof r.path === 'string') {
        if (r.path === path) found.push({ r, match: null });
      } else {
        r.path.lastIndex = 0;
        const m = r.path.exec(path);
        if (m) found.push({ r, match: m });
      }
    }
    return found;
  }

  async function resolve(record) {
    const q = queues.get(qkey(record.method, record.path));
    if (q && q.length > 0) {
      const next = q.shift();
      return typeof next === 'function' ? next(record, record.json) : next;
    }
    for (const { r, match } of findRoutes(record.method, record.path)) {
      const req = match ? { ...record, match, params: match.groups ?? {} } : record;
      const d = await r.handler(req, record.json);
      if (d !== undefined) return d;
    }
    return NO_ROUTE;
  }

  const server = http.createServer(async (req, res) => {
    res.on('error', () => {});
    const body = await readBody(req);
    const record = recordRequest(req, body);
    requests.push(record);
    const requestId = `req_${++counter}`;
    let desc;
    try {
      desc = await resolve(record);
    } catch (err) {
      desc = { status: 500, json: { message: `mock: handler threw: ${err?.message ?? err}` } };
    }
    try {
      await sendDescription(req, res, desc, { requestId, timers });
    } catch {
      req.socket.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (err, socket) => {
    if (!socket.destroyed) socket.destroy();
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const actualPort = server.address().port;

  const mock = {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    hostname: '127.0.0.1',
    apiKey: 'sk_test_default',
    requests,
    server,
    /** Persistent handler `(req, json) => description | undefined` (may be async). A
     *  RegExp path exposes `req.match`/`req.params`; returning undefined falls through. */
    route(method, pathOrRegex, handler) {
      const h = typeof handler === 'function' ? handler : () => handler;
      routes.push({ method: method.toUpperCase(), path: pathOrRegex, handler: h });
      return mock;
    },
    /** One-shot responses for an exact method + path, used before any route, in order. */
    enqueue(method, path, ...responses) {
      const k = qkey(method, path);
      if (!queues.has(k)) queues.set(k, []);
      queues.get(k).push(...responses);
      return mock;
    },
    /** Shorthand: GET `pathOrRegex` served by listRoute(items, opts). */
    list(pathOrRegex, items, opts) {
      return mock.route('GET', pathOrRegex, listRoute(items, opts));
    },
    /** Shorthand: GET `pathOrRegex` served by generatedListRoute(count, itemAt, opts). */
    generatedList(pathOrRegex, count, itemAt, opts) {
      return mock.route('GET', pathOrRegex, generatedListRoute(count, itemAt, opts));
    },
    /** Clear recorded requests (in place), routes, queues and the X-Request-ID counter. */
    reset() {
      requests.length = 0;
      routes = [];
      queues = new Map();
      counter = 0;
      return mock;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const done = new Promise((ok) => server.close(() => ok()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections?.();
      await done;
    },
  };
  return mock;
}
