// Two bare TCP servers for the load and broken-server tests, where node:http is too slow or too
// well-behaved.
//
//   const fast = await startFastMock((method, target) => ({ status: 200, body: '{"id":"x"}' }));
//   fast.stats  // { connections, open, maxOpen, requests, remotePorts: Set }
//
// `startFastMock` answers HTTP/1.1 keep-alive requests with canned responses (no header parsing
// beyond the request line and content-length), so tens of thousands of calls a second cost the
// test process little. Every accepted connection is counted, with its remote port.
//
//   const raw = await startRawServer();
//   raw.script = (socket, head) => socket.end('HTTP/1.1 200 OK\r\n...');
//
// `startRawServer` hands each request head (the text up to the blank line) to `raw.script`,
// which writes whatever bytes it likes: for responses no HTTP library would send.

import net from 'node:net';

function track(server, stats, sockets) {
  server.on('connection', (socket) => {
    stats.connections++;
    stats.open++;
    stats.maxOpen = Math.max(stats.maxOpen, stats.open);
    stats.remotePorts.add(socket.remotePort);
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      stats.open--;
      sockets.delete(socket);
    });
  });
}

function closer(server, sockets) {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

async function listen(server) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address().port;
}

const newStats = () => ({ connections: 0, open: 0, maxOpen: 0, requests: 0, remotePorts: new Set() });

/**
 * `handler(method, target)` → `{ status = 200, body = '', contentType = 'application/json' }`.
 * `delayMs`: each answer is written that long after its request arrived (a network's latency).
 */
export async function startFastMock(handler, { delayMs = 0 } = {}) {
  const stats = newStats();
  const sockets = new Set();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buf.subarray(0, end).toString('latin1');
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        const length = m ? Number(m[1]) : 0;
        if (buf.length < end + 4 + length) return;
        buf = buf.subarray(end + 4 + length);
        const [method, target] = head.slice(0, head.indexOf('\r\n')).split(' ');
        stats.requests++;
        const r = handler(method, target) ?? {};
        const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body ?? '');
        const answer =
          `HTTP/1.1 ${r.status ?? 200} X\r\ncontent-type: ${r.contentType ?? 'application/json'}\r\n` +
          `content-length: ${body.length}\r\nx-request-id: req_fast_${stats.requests}\r\n\r\n`;
        const send = () => {
          if (socket.destroyed) return;
          socket.write(answer);
          socket.write(body);
        };
        if (delayMs > 0) setTimeout(send, delayMs);
        else send();
      }
    });
  });
  track(server, stats, sockets);
  const port = await listen(server);
  return { port, hostname: '127.0.0.1', url: `http://127.0.0.1:${port}`, stats, server, close: closer(server, sockets) };
}

/** A server whose every response is written by `raw.script(socket, head)`. */
export async function startRawServer() {
  const stats = newStats();
  const sockets = new Set();
  const raw = {
    stats,
    heads: [],
    script: (socket) => socket.destroy(),
  };
  const server = net.createServer((socket) => {
    let buf = '';
    socket.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      let end;
      while ((end = buf.indexOf('\r\n\r\n')) !== -1) {
        const head = buf.slice(0, end);
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        const length = m ? Number(m[1]) : 0;
        if (buf.length < end + 4 + length) return;
        buf = buf.slice(end + 4 + length);
        stats.requests++;
        raw.heads.push(head);
        raw.script(socket, head);
      }
    });
  });
  track(server, stats, sockets);
  const port = await listen(server);
  return Object.assign(raw, { port, hostname: '127.0.0.1', url: `http://127.0.0.1:${port}`, server, close: closer(server, sockets) });
}
