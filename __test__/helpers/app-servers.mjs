// HTTP servers for the Express apps the guard suites build: each on 127.0.0.1 and a free port,
// kept in a caller's Set so a suite can close all of its servers (and their keep-alive sockets).

import http from 'node:http';

/** Serves `app`; resolves to its base URL. The server is added to `servers`. */
export async function listen(app, servers) {
  const server = http.createServer(app);
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  servers.add(server);
  return `http://127.0.0.1:${server.address().port}`;
}

/** Closes every server in `servers`, open connections included, and empties the Set. */
export async function closeAll(servers) {
  await Promise.all(
    [...servers].map(
      (s) =>
        new Promise((ok) => {
          s.close(() => ok());
          s.closeAllConnections();
        }),
    ),
  );
  servers.clear();
}
